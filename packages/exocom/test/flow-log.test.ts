import { describe, expect, it } from 'vitest';
import { DeliveryFailedError, type FlowEvent, formatFlowEvent, formatInstanceChange } from '../src/index.js';

const users = { service: 'users', name: 'users.create', instance: '127.0.0.1:4001', instances: 2 };

describe('flow log', () => {
  it('prints one readable line per flow', () => {
    const events: [FlowEvent, string][] = [
      [
        { kind: 'message', name: 'users.create', sender: 'web', requestId: 'r1', receivers: [users] },
        'web  --[ users.create ]->  users (2 instances)',
      ],
      [
        { kind: 'message', name: 'users.create', sender: 'web', requestId: 'r1', receivers: [] },
        'web  --[ users.create ]->  (no receivers)',
      ],
      [
        {
          kind: 'message',
          name: 'users.created',
          sender: 'users',
          requestId: 'r2',
          receivers: [
            { service: 'store', name: 'record stored', instance: 'h:1', instances: 1 },
            { service: 'mailer', name: 'users.created', instance: 'h:2', instances: 1 },
          ],
        },
        "users  --[ users.created ]->  store as 'record stored', mailer",
      ],
      [
        {
          kind: 'reply',
          name: 'users.created',
          sender: 'users',
          requestId: 'r3',
          responseTo: 'r1',
          final: true,
          receivers: [{ service: 'web', name: 'users.created', instance: 'h:3', instances: 1 }],
        },
        'users  --[ users.created ]->  web (reply)',
      ],
      [
        {
          kind: 'reply',
          name: 'file.copying',
          sender: 'files',
          requestId: 'r4',
          responseTo: 'r1',
          final: false,
          receivers: [{ service: 'web', name: 'file.copying', instance: 'h:3', instances: 1 }],
        },
        'files  --[ file.copying ]->  web (progress reply)',
      ],
      [
        {
          kind: 'delivery-failed',
          name: 'users.create',
          sender: 'web',
          requestId: 'r1',
          receiver: users,
          error: new DeliveryFailedError('users.create', 'r1', 'users', '127.0.0.1:4001', 'connect ECONNREFUSED'),
        },
        'web  --[ users.create ]-x  users at 127.0.0.1:4001: delivery failed, connect ECONNREFUSED',
      ],
      [
        {
          kind: 'delivery-failed',
          name: 'users.create',
          sender: 'web',
          requestId: 'r1',
          receiver: users,
          error: new DeliveryFailedError(
            'users.create',
            'r1',
            'users',
            '127.0.0.1:4001',
            'status 422: {"code":"INVALID_PAYLOAD",\n"message":"name: Required"}',
            422,
          ),
        },
        'web  --[ users.create ]-x  users at 127.0.0.1:4001: refused (422), {"code":"INVALID_PAYLOAD", "message":"name: Required"}',
      ],
    ];
    for (const [event, line] of events) expect(formatFlowEvent(event)).toBe(line);
  });

  it('colours a line when asked', () => {
    const event: FlowEvent = {
      kind: 'message',
      name: 'users.create',
      sender: 'web',
      requestId: 'r1',
      receivers: [users],
    };

    const line = formatFlowEvent(event, { colors: true });

    expect(line).toBe(
      '\u001b[36mweb\u001b[39m  --[ \u001b[1musers.create\u001b[22m ]->  \u001b[32musers\u001b[39m (2 instances)',
    );
  });

  it('prints instances joining and leaving', () => {
    const instance = {
      service: 'users',
      host: '127.0.0.1',
      port: 4001,
      receives: ['users.create', 'users.list'],
      sources: ['registration' as const],
      up: true,
      inFlight: 0,
      consecutiveFailures: 0,
    };

    expect(formatInstanceChange({ type: 'added', reason: 'registration', instance })).toBe(
      'users  joined at 127.0.0.1:4001 (registration), receives users.create, users.list',
    );
    expect(formatInstanceChange({ type: 'removed', reason: 'deregistration', instance })).toBe(
      'users  at 127.0.0.1:4001 left (deregistration)',
    );
    expect(formatInstanceChange({ type: 'updated', reason: 'unreachable', instance: { ...instance, up: false } })).toBe(
      'users  at 127.0.0.1:4001 is down (unreachable)',
    );
  });
});
