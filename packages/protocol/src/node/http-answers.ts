import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers in plain text, as relays and the bus do for every refusal. */
export function answerText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}

export function answerJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
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
