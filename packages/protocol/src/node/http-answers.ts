import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers in plain text, as relays and the bus do for every refusal. */
export function answerText(response: ServerResponse, status: number, text: string): void {
  answerWith(response, status, 'text/plain; charset=utf-8', text);
}

export function answerJson(response: ServerResponse, status: number, body: unknown): void {
  answerWith(response, status, 'application/json', JSON.stringify(body));
}

/**
 * Declares the body's length: without it `writeHead` commits to chunked encoding, and the
 * answer leaves as five buffers (head, size, body, CRLF, last chunk) instead of one string.
 */
function answerWith(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** Answers without reading the body, but lets it flow so the keep-alive connection stays usable. */
export function drainThenAnswer(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  text: string,
): void {
  request.resume();
  answerText(response, status, text);
}
