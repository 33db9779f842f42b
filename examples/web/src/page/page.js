// The demo page's script, bundled with @exorelay/browser by the web server at start.
import { createBrowserRelay } from '@exorelay/browser';

const client = createBrowserRelay({ url: '/bridge' });
const form = document.querySelector('#copy');
const button = form.querySelector('button');
const progress = document.querySelector('#progress');
const status = document.querySelector('#status');
const log = document.querySelector('#log');

function show(text, outcome) {
  status.textContent = text;
  if (outcome === undefined) delete status.dataset.outcome;
  else status.dataset.outcome = outcome;
}

function logReply(reply) {
  const item = document.createElement('li');
  item.textContent = `${reply.outcome} ${JSON.stringify(reply.payload)}`;
  log.append(item);
}

async function copy(from, to) {
  for await (const reply of client.send('file.copy', { from, to })) {
    logReply(reply);
    if (reply.outcome === 'file.copying') {
      const { copiedBytes, totalBytes } = reply.payload;
      progress.max = Math.max(totalBytes, 1);
      progress.value = copiedBytes;
      show(`Copying: ${copiedBytes} of ${totalBytes} bytes`);
    } else if (reply.outcome === 'file.copied') {
      progress.value = progress.max;
      show(`Copied ${reply.payload.from} to ${reply.payload.to}: ${reply.payload.bytes} bytes`, 'copied');
    } else if (reply.outcome === 'file.not-found') {
      show(`No file ${reply.payload.path}`, 'failed');
    }
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const { from, to } = Object.fromEntries(new FormData(form));
  button.disabled = true;
  log.replaceChildren();
  progress.value = 0;
  show(`Copying ${from} to ${to}…`);
  try {
    await copy(from, to);
  } catch (error) {
    show(`Failed (${error.code ?? error.name}): ${error.message}`, 'failed');
  } finally {
    button.disabled = false;
  }
});

button.disabled = false;
show('Ready.');
