export type { ClientCertificateOptions, ExoComAuthOptions } from './auth.js';
export type { DeliveryTlsOptions } from './delivery.js';
export {
  ConfigError,
  DeliveryFailedError,
  ExoComError,
  ExoComErrorCode,
  isExoComError,
  PortInUseError,
  TimeoutError,
} from './errors.js';
export type { EventStreamSnapshot } from './event-stream-channel.js';
export type { EventStreamOptions } from './event-streams.js';
export type { ExoComEvents, ExoComOptions, ExoComPublicStatus, ExoComStatus, InstanceQuery } from './exocom.js';
export { ExoCom, startExoCom } from './exocom.js';
export type { FlowEvent, FlowReceiver, FormatOptions } from './flow-log.js';
export { formatFlowEvent, formatInstanceChange } from './flow-log.js';
export type { BusTlsOptions } from './http-server.js';
export type { InstanceSnapshot, InstanceSource } from './instance.js';
export type { ServiceConfig, ServiceDeliveryTls } from './landscape.js';
export type { LoadBalancing } from './load-balancer.js';
export type { ExoComCounters, UnknownSenders } from './message-router.js';
export type { InstanceChange, InstanceChangeReason, ServiceSnapshot } from './routing-table.js';
export type { Translation } from './translation.js';
