import { backpressureCases } from './cases/backpressure.case.js';
import { busRestartCases } from './cases/bus-restart.case.js';
import { contractCases } from './cases/contracts.case.js';
import { forgottenReplierCases } from './cases/forgotten-replier.case.js';
import { handlerCases } from './cases/handlers.case.js';
import { instanceCases } from './cases/instances.case.js';
import { lifecycleCases } from './cases/lifecycle.case.js';
import { remoteErrorCases } from './cases/remote-error.case.js';
import { replyStreamCases } from './cases/reply-stream.case.js';
import { requestCases } from './cases/request.case.js';
import { sendCases } from './cases/send.case.js';
import { serviceCases } from './cases/services.case.js';
import { stateCases } from './cases/state.case.js';
import type { ConformanceOptions } from './fixture.js';
import { registerCases } from './suite.js';

export type { ConformanceFixture, ConformanceOptions, ConformanceSkip, CreateRelayOptions } from './fixture.js';
export { collect, deferred, rejectionOf } from './support.js';
export type { ReceivedMessage, TestBus } from './test-bus.js';
export { startTestBus } from './test-bus.js';
export type { UploadAnswer } from './upload.js';
export { postWithNodeHttp } from './upload.js';

/**
 * Registers the relay behaviour suite for one transport. Call it from a transport package's
 * `test/conformance.test.ts` with a `setup` that starts that transport's bus.
 */
export function runRelayConformance(options: ConformanceOptions): void {
  registerCases(options, {
    send: sendCases,
    'reply streams': replyStreamCases,
    request: requestCases,
    'remote errors': remoteErrorCases,
    lifecycle: lifecycleCases,
    state: stateCases,
    'handlers registered late and unregistered': handlerCases,
    'two instances of one service': instanceCases,
    'two services': serviceCases,
    'the bus going away and coming back': busRestartCases,
    'a replier that goes away': forgottenReplierCases,
    'contract violations both ways': contractCases,
    backpressure: backpressureCases,
  });
}
