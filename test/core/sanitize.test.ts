import { describe, expect, it } from 'vitest';
import { boundDetails, redactText } from '../../lib/core/sanitize.ts';

const cases: { name: string; text: string; secrets: string[]; expect: string }[] = [
  {
    name: 'a URL password',
    text: 'cannot connect to postgres://monitor:s3cret@db:5432/erp',
    secrets: [],
    expect: 'cannot connect to postgres://monitor:***@db:5432/erp',
  },
  {
    name: 'a Redis URL with a password and no user',
    text: 'redis://:hunter2@cache.internal:6379/0 refused',
    secrets: [],
    expect: 'redis://:***@cache.internal:6379/0 refused',
  },
  {
    name: 'a known secret anywhere in the text',
    text: 'token abcdef123 rejected (abcdef123)',
    secrets: ['abcdef123'],
    expect: 'token *** rejected (***)',
  },
  {
    name: 'a URL-encoded secret',
    text: 'GET /login?pw=p%40ss%2Fw%C3%B6rd failed',
    secrets: ['p@ss/wörd'],
    expect: 'GET /login?pw=*** failed',
  },
  {
    name: 'a form-encoded secret with spaces',
    text: 'body: pw=correct+horse+battery',
    secrets: ['correct horse battery'],
    expect: 'body: pw=***',
  },
  {
    name: 'a secret shorter than 4 characters, as a whole token',
    text: 'PIN 42 rejected; 420 and x42y left alone',
    secrets: ['42'],
    expect: 'PIN *** rejected; 420 and x42y left alone',
  },
  {
    name: 'a secret that contains another is replaced whole',
    text: 'keys: abcd and abcdefgh',
    secrets: ['abcd', 'abcdefgh'],
    expect: 'keys: *** and ***',
  },
  {
    name: 'an empty secret changes nothing',
    text: 'all fine',
    secrets: [''],
    expect: 'all fine',
  },
];

describe('redactText', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(redactText(c.text, c.secrets)).toBe(c.expect);
    });
  }

  it('redacts inside result details too', () => {
    const details = boundDetails({ url: 'redis://:pw@h:6379', nested: { note: 'pin 7 bad' } }, [
      '7',
    ]);
    expect(details).toEqual({ url: 'redis://:***@h:6379', nested: { note: 'pin *** bad' } });
  });
});
