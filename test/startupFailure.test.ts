import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startupFailureOf } from '../src/startupFailure.js';

const config = loadConfig({ PORT: '4000', HOST: '127.0.0.1', DATA_DIR: '/var/lib/charsheet', MONGODB_URI: 'mongodb://user:secret@db.internal:27017/charsheet' });

function listenError(code: string): Error {
  return Object.assign(new Error(`listen ${code}: 127.0.0.1:4000`), { code, syscall: 'listen', address: '127.0.0.1', port: 4000 });
}

describe('startupFailureOf', () => {
  it.each([
    ['a port in use', listenError('EADDRINUSE'), /port 4000 is already in use on 127\.0\.0\.1: stop the other process or set PORT/],
    ['a privileged port', listenError('EACCES'), /not allowed to listen on 127\.0\.0\.1:4000 .*set PORT/],
    ['a HOST of another machine', listenError('EADDRNOTAVAIL'), /HOST 127\.0\.0\.1 is not an address of this machine/],
    ['a data folder held by another process', new Error('the embedded store data folder /var/lib/charsheet/db is in use by process 4242'), /DATA_DIR \/var\/lib\/charsheet is in use by another charsheet process \(pid 4242\)/],
    ['an unreachable MongoDB', Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:27017'), { name: 'MongooseServerSelectionError' }), /could not reach MongoDB at mongodb:\/\/db\.internal:27017\/charsheet: connect ECONNREFUSED/],
    ['an unwritable data folder', Object.assign(new Error("EACCES: permission denied, mkdir '/var/lib/charsheet/db'"), { code: 'EACCES', path: '/var/lib/charsheet/db' }), /cannot write to \/var\/lib\/charsheet\/db \(EACCES\): check DATA_DIR/],
    ['anything else', new Error('RUNPOD_INPUT_TEMPLATE is not valid JSON'), /^charsheet could not start: RUNPOD_INPUT_TEMPLATE is not valid JSON$/],
  ])('names what to do about %s, in one line', (_, error, expected) => {
    const failure = startupFailureOf(error, config);
    expect(failure.message).toMatch(expected);
    expect(failure.message).not.toContain('\n');
    expect(JSON.stringify(failure)).not.toContain('secret');
  });
});
