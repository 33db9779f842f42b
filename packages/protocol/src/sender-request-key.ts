/**
 * The key a message is remembered by to take it at most once: its `(sender, requestId)` as one
 * string. The sender's length comes first, so no sender name can forge another pair's key.
 * `join` builds the string flat; a template literal builds a cons string, which a `Map` key
 * keeps beside its flattened copy: about 80 bytes more for each remembered message.
 */
export function senderRequestKey(sender: string, requestId: string): string {
  return [sender.length, sender, requestId].join(':');
}
