import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../db/reachable';

const withCode = (code: unknown) => Object.assign(new Error('x'), { code });

describe('isDatabaseUnavailable: which start-up failures are worth waiting out', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED'), true],
    ['connection reset', withCode('ECONNRESET'), true],
    ['network timeout', withCode('ETIMEDOUT'), true],
    ['host unreachable', withCode('EHOSTUNREACH'), true],
    ['DNS not ready', withCode('EAI_AGAIN'), true],
    ['postgres.js connect timeout', withCode('CONNECT_TIMEOUT'), true],
    ['postgres.js connection closed', withCode('CONNECTION_CLOSED'), true],
    ['53300 too many connections', withCode('53300'), true],
    ['our own pool ended (CONNECTION_ENDED)', withCode('CONNECTION_ENDED'), false],
    ['our own pool destroyed (CONNECTION_DESTROYED)', withCode('CONNECTION_DESTROYED'), false],
    ['08P01 protocol violation', withCode('08P01'), false],
    ['57P03 cannot connect now (starting up)', withCode('57P03'), true],
    ['57P01 admin shutdown', withCode('57P01'), true],
    ['57P02 crash shutdown', withCode('57P02'), true],
    ['08006 connection failure', withCode('08006'), true],
    ['08001 unable to connect', withCode('08001'), true],
    ['28P01 wrong password', withCode('28P01'), false],
    ['3D000 no such database', withCode('3D000'), false],
    ['42601 syntax error in a migration', withCode('42601'), false],
    ['57014 query cancelled', withCode('57014'), false],
    ['DNS name unknown (a typo, not a wait)', withCode('ENOTFOUND'), false],
    ['numeric code', withCode(111), false],
    ['no code', new Error('boom'), false],
    ['a string', 'ECONNREFUSED', false],
    ['null', null, false],
  ])('%s → %s', (_, err, expected) => {
    expect(isDatabaseUnavailable(err)).toBe(expected);
  });
});
