import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerText } from '@exorelay/protocol/node';
import type { BusMetrics } from '../metrics.js';
import type { DashboardFeed } from './dashboard-feed.js';
import { dashboardPage } from './dashboard-page.js';

type View = (request: IncomingMessage, response: ServerResponse) => void;

/** The bus's `GET` pages beside the protocol: `/dashboard`, its event feed, and `/metrics`. */
export function dashboardViews(parts: {
  dashboard: DashboardFeed;
  metrics: BusMetrics | undefined;
}): Map<string, View> {
  const { dashboard, metrics } = parts;
  return new Map<string, View>([
    [
      '/dashboard',
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        response.end(dashboardPage);
      },
    ],
    ['/dashboard/events', (request, response) => dashboard.open(request, response)],
    [
      '/metrics',
      (_request, response) => {
        if (metrics === undefined)
          return answerText(response, 404, 'metrics are off: start the bus with metrics: true');
        metrics.exposition().then(
          (text) => {
            response.writeHead(200, { 'content-type': metrics.contentType });
            response.end(text);
          },
          (error: Error) => answerText(response, 500, `collecting metrics failed: ${error.message}`),
        );
      },
    ],
  ]);
}
