import { type Envelope, ERROR_OUTCOME, isErrorReplyPayload, type NamedEnvelope } from '@exorelay/protocol';
import type * as OpenTelemetry from '@opentelemetry/api';
import { debug } from './debug.js';
import { ExoRelayError, RemoteError } from './errors.js';
import type { Reply } from './message-types.js';
import type { ReplyStreamController } from './reply-stream.js';
import type { HandlerResult, SendReceipt, Transport } from './transport.js';

/**
 * OpenTelemetry tracing of sends, handlers and replies, following the messaging semantic
 * conventions. `@opentelemetry/api` is an optional peer dependency, loaded once: until it is
 * loaded, when it is not installed, and while the application registered no tracer provider,
 * every hook here is a plain call through.
 *
 * - `send`/`request`: a `PRODUCER` span (one-way) or a `CLIENT` span (someone reads the
 *   replies) named `send NAME`; its context travels in the envelope (`traceparent`,
 *   `tracestate` with the W3C propagator). A `CLIENT` span ends when the reply stream settles.
 * - A handler runs inside a `CONSUMER`/`SERVER` span `process NAME`, the child of the context
 *   the envelope carries; its final reply's outcome is the `exorelay.outcome` attribute.
 * - Each reply is a `PRODUCER` span `send OUTCOME`, the child of the handler's span, with a
 *   link to the request's span; the reply envelope carries its context.
 */

type Api = typeof OpenTelemetry;

/** The value of `messaging.system`: the Exosphere protocol, whichever transport carries it. */
const MESSAGING_SYSTEM = 'exosphere';
/** The attribute with the outcome of a handled or sent message (the name of its final reply). */
const OUTCOME_ATTRIBUTE = 'exorelay.outcome';

/** The loaded API and the relay's tracer; `undefined` makes every hook a plain call through. */
let loaded: { api: Api; tracer: OpenTelemetry.Tracer; isRecording: () => boolean } | undefined;
let loading: Promise<void> | undefined;
/** The span of each running handler, by the envelope it handles: its replies are its children. */
const handlerSpans = new WeakMap<Envelope, OpenTelemetry.Span>();
/** The handled envelopes whose final reply went out, so a failed handler's span keeps its outcome. */
const answered = new WeakSet<Envelope>();

const envelopeGetter: OpenTelemetry.TextMapGetter<Envelope> = {
  keys: (envelope) => Object.keys(envelope),
  get: (envelope, key) => {
    const value = envelope[key];
    return typeof value === 'string' ? value : undefined;
  },
};

const envelopeSetter: OpenTelemetry.TextMapSetter<Envelope> = {
  set: (envelope, key, value) => {
    envelope[key] = value;
  },
};

/** Loads `@opentelemetry/api` once, if it is installed. Never rejects. */
export function loadTracing(): Promise<void> {
  loading ??= import('@opentelemetry/api').then(
    (api) => {
      // A proxy tracer: it traces with whichever provider the application registers, even later.
      loaded = { api, tracer: api.trace.getTracer('exorelay'), isRecording: providerRegistered(api) };
    },
    () => debug('@opentelemetry/api is not installed: messages are not traced'),
  );
  return loading;
}

/**
 * Whether an application registered a tracer provider. Until one does, spans record nothing,
 * and making them would cost every message time for nothing.
 */
function providerRegistered(api: Api): () => boolean {
  const provider = api.trace.getTracerProvider();
  if (!(provider instanceof api.ProxyTracerProvider)) return () => true;
  const none = new api.ProxyTracerProvider().getDelegate();
  return () => provider.getDelegate() !== none;
}

/** The API while something records spans, else `undefined`. */
function tracing(): typeof loaded {
  return loaded?.isRecording() === true ? loaded : undefined;
}

/**
 * Hands a sent message to the transport inside its `send NAME` span, whose context the envelope
 * carries. The span ends once the message is sent (one-way) or once its reply stream settles.
 */
export function sendTraced(
  transport: Transport,
  message: NamedEnvelope,
  options: { signal?: AbortSignal | undefined },
  controller: ReplyStreamController,
): Promise<SendReceipt> {
  const otel = tracing();
  if (otel === undefined) return transport.send(message, options);
  const { tracer, api } = otel;
  const { context, propagation, trace, SpanKind } = api;
  const oneWay = message.envelope.oneWay === true;
  const span = tracer.startSpan(`send ${message.name}`, {
    kind: oneWay ? SpanKind.PRODUCER : SpanKind.CLIENT,
    attributes: messageAttributes(message, 'publish', 'send'),
  });
  const spanContext = trace.setSpan(context.active(), span);
  propagation.inject(spanContext, message.envelope, envelopeSetter);
  if (!oneWay) endWithStream(span, controller);
  const sent = context.with(spanContext, () => transport.send(message, options));
  if (oneWay) endWhenSent(span, sent);
  return sent;
}

/**
 * Wraps a handler's run so that it runs inside a `process NAME` span, the child of the context
 * its envelope carries; without OpenTelemetry, returns `run` itself.
 */
export function traceHandler(
  message: NamedEnvelope,
  run: (signal: AbortSignal) => Promise<HandlerResult>,
): (signal: AbortSignal) => Promise<HandlerResult> {
  const otel = tracing();
  if (otel === undefined) return run;
  const { tracer, api } = otel;
  const { context, propagation, trace, SpanKind, SpanStatusCode } = api;
  return (signal) => {
    const parent = propagation.extract(context.active(), message.envelope, envelopeGetter);
    const span = tracer.startSpan(
      `process ${message.name}`,
      {
        kind: message.envelope.oneWay === true ? SpanKind.CONSUMER : SpanKind.SERVER,
        attributes: messageAttributes(message, 'process', 'process'),
      },
      parent,
    );
    handlerSpans.set(message.envelope, span);
    const ended = (result: HandlerResult) => {
      if (result === 'failed') {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'the handler failed' });
        // Its `exo.error` reply goes out after the handler ended.
        if (!answered.has(message.envelope)) span.setAttribute(OUTCOME_ATTRIBUTE, ERROR_OUTCOME);
      }
      span.end();
      return result;
    };
    return context.with(trace.setSpan(parent, span), run, undefined, signal).then(ended, (error: unknown) => {
      ended('failed');
      throw error;
    });
  };
}

/** Records what a handler threw on its span. */
export function traceHandlerFailure(envelope: Envelope, cause: unknown): void {
  if (tracing() === undefined) return;
  handlerSpans.get(envelope)?.recordException(cause instanceof Error ? cause : String(cause));
}

/**
 * Hands a reply to the transport inside its `send OUTCOME` span: the child of the handler's
 * span, linked to the request's span. A final reply sets the handler span's outcome.
 */
export function sendReplyTraced(
  transport: Transport,
  request: NamedEnvelope,
  reply: NamedEnvelope,
): Promise<SendReceipt> {
  const otel = tracing();
  if (otel === undefined) return transport.send(reply);
  const { tracer, api } = otel;
  const { context, propagation, trace, SpanKind, ROOT_CONTEXT } = api;
  const handlerSpan = handlerSpans.get(request.envelope);
  if (handlerSpan !== undefined && reply.envelope.more !== true) {
    answered.add(request.envelope);
    setOutcome(handlerSpan, reply);
  }
  const requestSpanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, request.envelope, envelopeGetter));
  const parent =
    handlerSpan === undefined
      ? propagation.extract(context.active(), request.envelope, envelopeGetter)
      : trace.setSpan(context.active(), handlerSpan);
  const span = tracer.startSpan(
    `send ${reply.name}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        ...messageAttributes(reply, 'publish', 'send'),
        'messaging.message.conversation_id': request.envelope.requestId,
      },
      links: requestSpanContext === undefined ? [] : [{ context: requestSpanContext }],
    },
    parent,
  );
  const spanContext = trace.setSpan(parent, span);
  propagation.inject(spanContext, reply.envelope, envelopeSetter);
  const sent = context.with(spanContext, () => transport.send(reply));
  endWhenSent(span, sent);
  return sent;
}

function messageAttributes(message: NamedEnvelope, operation: string, operationType: string): OpenTelemetry.Attributes {
  return {
    'messaging.system': MESSAGING_SYSTEM,
    'messaging.operation': operation,
    'messaging.operation.type': operationType,
    'messaging.destination.name': message.name,
    'messaging.message.id': message.envelope.requestId,
  };
}

function setOutcome(span: OpenTelemetry.Span, reply: NamedEnvelope): void {
  span.setAttribute(OUTCOME_ATTRIBUTE, reply.name);
  if (reply.name !== ERROR_OUTCOME || loaded === undefined) return;
  const payload = reply.envelope.payload;
  span.setStatus({
    code: loaded.api.SpanStatusCode.ERROR,
    message: isErrorReplyPayload(payload) ? `${payload.code}: ${payload.message}` : 'the message failed',
  });
}

/** A request's span ends with its reply stream: the final reply, a failure, a timeout, a break. */
function endWithStream(span: OpenTelemetry.Span, controller: ReplyStreamController): void {
  if (controller.isOpen) controller.onEnded = (failure, finalReply) => endSpan(span, failure, finalReply);
  else endSpan(span, controller.sendError, undefined);
}

function endWhenSent(span: OpenTelemetry.Span, sent: Promise<SendReceipt>): void {
  sent.then(
    () => span.end(),
    (error: Error) => endSpan(span, error, undefined),
  );
}

function endSpan(span: OpenTelemetry.Span, failure: Error | undefined, finalReply: Reply | undefined): void {
  if (finalReply !== undefined) span.setAttribute(OUTCOME_ATTRIBUTE, finalReply.outcome);
  if (failure !== undefined && loaded !== undefined) {
    span.recordException(failure);
    span.setStatus({ code: loaded.api.SpanStatusCode.ERROR, message: failure.message });
    if (failure instanceof RemoteError)
      span.setAttributes({ [OUTCOME_ATTRIBUTE]: ERROR_OUTCOME, 'error.type': failure.remoteCode });
    else span.setAttribute('error.type', failure instanceof ExoRelayError ? failure.code : failure.name);
  }
  span.end();
}
