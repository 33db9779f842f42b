import { request as httpRequest } from 'node:http';

export interface UploadAnswer {
  status: number;
  text: string;
  /** Whether the server said `100 Continue`; only for uploads sent with `expect: 100-continue`. */
  continued?: boolean;
}

/**
 * POSTs `body` with node:http as a plain client does; with `expect: 100-continue` it sends the
 * body only once told to continue, as curl does. Resolves with what it read.
 */
export async function postWithNodeHttp(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<UploadAnswer> {
  const request = httpRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
  });
  const waitsToContinue = headers.expect === '100-continue';
  let continued = false;
  const answered = new Promise<UploadAnswer>((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text, ...(waitsToContinue ? { continued } : {}) }),
      );
    });
    request.on('error', reject);
  });
  if (waitsToContinue) {
    request.on('continue', () => {
      continued = true;
      request.end(body);
    });
    request.flushHeaders();
  } else {
    request.end(body);
  }
  return answered;
}
