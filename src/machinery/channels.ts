// The channel protocol of exec and attach over WebSocket
// (`*.channel.k8s.io`): each binary message starts with its channel.
// v5 adds a CLOSE message `[255, channel]` that half-closes a channel
// (how the client says its stdin has ended).

export const Channel = { Stdin: 0, Stdout: 1, Stderr: 2, Error: 3, Resize: 4, Close: 255 } as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

export const channelProtocols = {
  v5: 'v5.channel.k8s.io',
  v4: 'v4.channel.k8s.io',
  v3: 'v3.channel.k8s.io',
  v2: 'v2.channel.k8s.io',
  v1: 'channel.k8s.io',
} as const;

/** One message on `channel`. */
export function channelMessage(channel: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

export type ChannelMessage = { kind: 'data'; channel: number; data: Buffer } | { kind: 'close'; channel: number } | { kind: 'empty' };

/** Reads one message; `close` only exists in v5. */
export function readChannelMessage(message: Buffer, v5: boolean): ChannelMessage {
  if (message.length === 0) return { kind: 'empty' };
  const channel = message[0] ?? 0;
  if (v5 && channel === Channel.Close) return { kind: 'close', channel: message[1] ?? 0 };
  return { kind: 'data', channel, data: message.subarray(1) };
}
