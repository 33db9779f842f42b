/**
 * The dashboard: one self-contained page (no build step, no network beyond the bus), served at
 * `GET /dashboard`. It reads `GET /dashboard/events` with the browser's `EventSource`.
 */
export const dashboardPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ExoCom dashboard</title>
<style>
  :root { font: 14px/1.4 system-ui, sans-serif; color: #1d2430; background: #f5f6f8; }
  body { margin: 0; padding: 1rem 1.5rem; }
  header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
  h1 { font-size: 1.3rem; margin: 0 1rem 0 0; }
  h2 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
  #connection[data-state="open"] { color: #1a7f37; }
  #connection[data-state="closed"] { color: #b42318; }
  #filter { padding: .3rem .5rem; min-width: 16rem; }
  .grid { display: grid; grid-template-columns: minmax(20rem, 1fr) minmax(28rem, 2fr); gap: 1.5rem; }
  .service { background: #fff; border: 1px solid #d8dbe2; border-radius: 6px; padding: .5rem .8rem; margin-bottom: .6rem; }
  .service h3 { margin: 0 0 .3rem; font-size: 1rem; }
  .service ul, #flow { list-style: none; margin: 0; padding: 0; }
  .instance { font-family: ui-monospace, monospace; font-size: .85rem; }
  .instance[data-up="true"]::before { content: "● "; color: #1a7f37; }
  .instance[data-up="false"]::before { content: "● "; color: #b42318; }
  .receives { color: #5b6472; font-size: .8rem; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #eceef2; }
  td.number { text-align: right; font-variant-numeric: tabular-nums; }
  tr.has-errors td { color: #b42318; }
  #flow { background: #fff; border: 1px solid #d8dbe2; border-radius: 6px; max-height: 70vh; overflow: auto; }
  #flow li { font-family: ui-monospace, monospace; font-size: .8rem; padding: .15rem .5rem; border-bottom: 1px solid #f0f1f4; }
  #flow li.error { background: #fdecea; color: #b42318; }
  #flow li.unrouted { background: #fff8e1; color: #9a6700; }
  #flow li.instance-change { color: #5b6472; font-style: italic; }
  .time, .latency { color: #5b6472; }
  .hidden { display: none !important; }
</style>
</head>
<body>
<header>
  <h1>ExoCom</h1>
  <span id="connection" data-state="connecting">connecting …</span>
  <span id="totals"></span>
  <input id="filter" type="search" placeholder="filter by service or message name" aria-label="filter">
</header>
<div class="grid">
  <div>
    <h2>Services</h2>
    <div id="services"></div>
    <h2>Rates (last 10 s)</h2>
    <table id="rates"><thead><tr><th>name</th><th>per s</th><th>total</th><th>errors</th></tr></thead><tbody></tbody></table>
  </div>
  <div>
    <h2>Flow</h2>
    <ul id="flow"></ul>
  </div>
</div>
<script>
"use strict";
const maxFlowRows = 300;
const rateWindow = 10000;
let status = { services: [], counters: {} };
const started = new Map();
const rates = new Map();
let filter = "";

const element = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};
const keyOf = (instance) => instance.eventStream ? instance.eventStream.id : instance.host + ":" + instance.port;
const matches = (...texts) => filter === "" || texts.some((text) => String(text).toLowerCase().includes(filter));
const clock = (at) => new Date(at).toISOString().slice(11, 23);

function renderServices() {
  const root = document.getElementById("services");
  root.replaceChildren();
  for (const service of status.services) {
    const section = element("section", "service");
    section.dataset.service = service.name;
    if (!matches(service.name, ...service.instances.flatMap((instance) => instance.receives))) section.classList.add("hidden");
    const up = service.instances.filter((instance) => instance.up).length;
    section.append(element("h3", "", service.name + "  (" + up + "/" + service.instances.length + " up)"));
    const list = element("ul");
    for (const instance of service.instances) {
      const stream = instance.eventStream;
      const transport = stream ? "sse" : "http";
      const address = stream ? stream.id + (stream.connected ? "" : " (disconnected)") : instance.host + ":" + instance.port;
      const buffers = stream ? ", buffered " + stream.buffered + " events / " + stream.bufferedBytes + " B" : "";
      const item = element("li", "instance", transport + " " + address + " — " + (instance.up ? "up" : "down") + ", in flight " + instance.inFlight + buffers);
      item.dataset.instance = keyOf(instance);
      item.dataset.up = String(instance.up);
      item.append(element("div", "receives", instance.receives.length ? "receives " + instance.receives.join(", ") : "receives nothing"));
      list.append(item);
    }
    section.append(list);
    root.append(section);
  }
}

function renderTotals() {
  const counters = status.counters || {};
  document.getElementById("totals").textContent =
    "sent " + (counters.received ?? 0) + " · delivered " + (counters.delivered ?? 0) + " · failed " + (counters.failed ?? 0);
}

function renderRates() {
  const now = Date.now();
  const body = document.querySelector("#rates tbody");
  body.replaceChildren();
  for (const [name, rate] of [...rates].sort(([a], [b]) => a.localeCompare(b))) {
    while (rate.recent.length > 0 && rate.recent[0] < now - rateWindow) rate.recent.shift();
    const row = element("tr", rate.errors > 0 ? "has-errors" : "");
    row.dataset.name = name;
    if (!matches(name)) row.classList.add("hidden");
    row.append(element("td", "", name), element("td", "number", (rate.recent.length / (rateWindow / 1000)).toFixed(1)),
      element("td", "number", String(rate.total)), element("td", "number", String(rate.errors)));
    body.append(row);
  }
}

function count(name, failed) {
  const rate = rates.get(name) ?? { recent: [], total: 0, errors: 0 };
  rate.recent.push(Date.now());
  rate.total += 1;
  if (failed) rate.errors += 1;
  rates.set(name, rate);
}

function addRow(item, texts) {
  if (!matches(...texts)) item.classList.add("hidden");
  item.dataset.texts = texts.join("\\n").toLowerCase();
  const list = document.getElementById("flow");
  list.prepend(item);
  while (list.children.length > maxFlowRows) list.lastElementChild.remove();
}

function showFlow(event) {
  const receivers = event.kind === "delivery-failed" ? [event.receiver] : event.receivers;
  const to = receivers.length === 0 ? "(nobody)" : [...new Set(receivers.map((receiver) => receiver.service))].join(", ");
  const failed = event.kind === "delivery-failed" || event.name === "exo.error";
  let note = "";
  if (event.kind === "message" && receivers.length > 0) {
    started.set(event.requestId, event.at);
    if (started.size > 5000) started.delete(started.keys().next().value);
  }
  if (event.kind === "reply") {
    note = event.final ? " (reply)" : " (progress)";
    const since = started.get(event.responseTo);
    if (event.final && since !== undefined) {
      started.delete(event.responseTo);
      note += " " + (event.at - since) + " ms";
    }
  }
  if (event.kind === "delivery-failed") note = " — delivery failed: " + event.error.reason;
  const unrouted = event.kind !== "delivery-failed" && receivers.length === 0;
  const item = element("li", "flow kind-" + event.kind + (failed ? " error" : unrouted ? " unrouted" : ""));
  item.dataset.name = event.name;
  item.dataset.sender = event.sender;
  item.append(element("span", "time", clock(event.at) + " "), event.sender + " → " + to + "  " + event.name, element("span", "latency", note));
  addRow(item, [event.name, event.sender, ...receivers.map((receiver) => receiver.service)]);
  count(event.name, failed);
}

function applyChange(change) {
  const key = keyOf(change.instance);
  let service = status.services.find((candidate) => candidate.name === change.instance.service);
  if (service === undefined && change.type !== "removed") {
    service = { name: change.instance.service, sends: [], translations: [], instances: [] };
    status.services.push(service);
  }
  if (service !== undefined) {
    service.instances = service.instances.filter((instance) => keyOf(instance) !== key);
    if (change.type !== "removed") service.instances.push(change.instance);
  }
  renderServices();
  const verb = change.type === "added" ? "joined" : change.type === "removed" ? "left" : change.instance.up ? "changed" : "is down";
  const item = element("li", "instance-change" + (change.instance.up || change.type === "removed" ? "" : " error"),
    clock(change.at) + " " + change.instance.service + " " + key + " " + verb + " (" + change.reason + ")");
  item.dataset.service = change.instance.service;
  addRow(item, [change.instance.service]);
}

document.getElementById("filter").addEventListener("input", (event) => {
  filter = event.target.value.trim().toLowerCase();
  for (const row of document.querySelectorAll("#flow li")) row.classList.toggle("hidden", !matches(...row.dataset.texts.split("\\n")));
  renderServices();
  renderRates();
});

const source = new EventSource("dashboard/events");
const connection = document.getElementById("connection");
source.addEventListener("open", () => { connection.dataset.state = "open"; connection.textContent = "live"; });
source.addEventListener("error", () => { connection.dataset.state = "closed"; connection.textContent = "reconnecting …"; });
source.addEventListener("snapshot", (message) => { status = JSON.parse(message.data); renderServices(); renderTotals(); });
source.addEventListener("flow", (message) => showFlow(JSON.parse(message.data)));
source.addEventListener("instance", (message) => applyChange(JSON.parse(message.data)));
setInterval(renderRates, 1000);
</script>
</body>
</html>
`;
