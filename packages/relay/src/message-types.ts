// The message-map types live in `@exorelay/protocol`, which `@exorelay/browser` shares without
// depending on this package; the relay re-exports them as its own API.
export type {
  FinalOutcomeOf,
  FinalReplyOf,
  MessageArguments,
  MessageMap,
  MessageName,
  MessageSpec,
  OutcomeOf,
  PayloadArgument,
  PayloadInputOf,
  PayloadOf,
  ProgressOutcomeOf,
  Reply,
  ReplyOf,
  ReplyPayloadInputOf,
  RequestableName,
  UntypedMessages,
} from '@exorelay/protocol';
