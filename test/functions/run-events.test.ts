import { describe, expect, it } from 'vitest';
import {
  AggregateRunEvent,
  parseRunEvent,
  runModeOf,
  ShardRunEvent,
} from '../../functions/runner/scheduled-event.ts';

const scheduledTime = '2026-12-01T02:00:00Z';

describe('the state machine events the runner accepts', () => {
  it.each([
    [{ suite: 'fleet', scheduledTime }, undefined],
    [{ deliver: 'pending' }, undefined],
    [{ mode: 'shard' }, 'shard'],
    [{ mode: 'aggregate' }, 'aggregate'],
    [{ mode: 'other' }, undefined],
    [null, undefined],
  ])('mode of %j', (event, mode) => {
    expect(runModeOf(event)).toBe(mode);
  });

  it('parses a shard event', () => {
    const event = { mode: 'shard', suite: 'fleet', scheduledTime, shard: { index: 2, count: 4 } };
    expect(parseRunEvent(ShardRunEvent, event)).toEqual(event);
  });

  it.each([
    [{ shard: { index: 0, count: 4 } }, /shard\.index: /],
    [{ shard: { index: 5, count: 4 } }, /shard\.index: index must not exceed count/],
    [{ shard: { index: 1, count: 0 } }, /shard\.count: /],
    [{ shard: { index: 1.5, count: 4 } }, /shard\.index: /],
    [{ shard: { index: 1, count: 4, extra: 1 } }, /shard: /],
    [{ scheduledTime: 'yesterday', shard: { index: 1, count: 2 } }, /scheduledTime: /],
  ])('refuses %j, naming the field', (patch, message) => {
    const event = { mode: 'shard', suite: 'fleet', scheduledTime, ...patch };
    expect(() => parseRunEvent(ShardRunEvent, event)).toThrow(message);
    expect(() => parseRunEvent(ShardRunEvent, event)).toThrow(/^invalid scheduler event: /);
  });

  it('parses an aggregation event and refuses one without its shard count', () => {
    const event = { mode: 'aggregate', suite: 'fleet', scheduledTime, shardCount: 4 };
    expect(parseRunEvent(AggregateRunEvent, event)).toEqual(event);
    expect(() =>
      parseRunEvent(AggregateRunEvent, { mode: 'aggregate', suite: 'fleet', scheduledTime }),
    ).toThrow(/shardCount: /);
  });
});
