import t from 'tap';
import { Channel, channelMessage, readChannelMessage } from './channels.js';

t.test('channel messages', async (t) => {
  t.same(channelMessage(Channel.Stdout, Buffer.from('hi')), Buffer.from([1, 0x68, 0x69]));
  t.same(readChannelMessage(Buffer.from([0, 0x78, 0x0a]), true), { kind: 'data', channel: 0, data: Buffer.from('x\n') });
  t.same(readChannelMessage(Buffer.from([255, 0]), true), { kind: 'close', channel: 0 }, 'v5: stdin is closed');
  t.same(readChannelMessage(Buffer.from([255, 0]), false), { kind: 'data', channel: 255, data: Buffer.from([0]) }, 'v4 has no close message');
  t.same(readChannelMessage(Buffer.from([4, ...Buffer.from('{"Width":80,"Height":24}')]), true).kind, 'data');
  t.same(readChannelMessage(Buffer.alloc(0), true), { kind: 'empty' });
});
