/**
 * The redaction layer's edges, in-process (issue 20). Each test states a property of the form
 * "this secret never reaches the output" or "this ordinary text is left alone": a pattern that
 * masks too little leaks, one that masks too much garbles what the user and the model read.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  addSecret,
  isRegisteredSecret,
  openMatchStart,
  redact,
  redactDeep,
  redactLiterals,
  registerEnvSecrets,
  registeredSecrets,
  registerSecretFiles,
  SECRET_ENV_VARS,
  SECRET_FILE_ENV_VARS,
} from '../../src/util/redact.js';
import { makeTempDir } from '../helpers/temp.js';

/** `redact(text)` must not contain `secret`, and must keep `kept`. */
function masks(text: string, secret: string, ...kept: string[]): void {
  const out = redact(text);
  expect(out, text).not.toContain(secret);
  expect(out, text).toContain('[REDACTED]');
  for (const k of kept) expect(out, text).toContain(k);
}
function leavesAlone(text: string): void {
  expect(redact(text), text).toBe(text);
}

describe('registered literals', () => {
  it('eight characters are enough to be registered; seven, empty or undefined are not', () => {
    addSecret('8chars!!');
    addSecret('7chars!');
    addSecret('');
    addSecret(undefined);
    expect(isRegisteredSecret('8chars!!')).toBe(true);
    expect(isRegisteredSecret('7chars!')).toBe(false);
    expect(redactLiterals('a 8chars!! b 7chars! c')).toBe('a [REDACTED] b 7chars! c');
    expect([...registeredSecrets()]).toContain('8chars!!');
    expect([...registeredSecrets()]).not.toContain('');
  });

  it('a short-term Bedrock key is masked with and without its prefix; another value starting alike is not split', () => {
    addSecret('bedrock-api-key-c2VjcmV0LXBheWxvYWQtMDAx');
    expect(isRegisteredSecret('c2VjcmV0LXBheWxvYWQtMDAx')).toBe(true);
    expect(redactLiterals('the base64 alone: c2VjcmV0LXBheWxvYWQtMDAx.')).toBe('the base64 alone: [REDACTED].');
    addSecret('not-a-bedrock-api-key-payload-01');
    expect(isRegisteredSecret('payload-01')).toBe(false);
    expect(isRegisteredSecret('-payload-01')).toBe(false);
  });

  it('characters that mean something in a regular expression are matched literally', () => {
    const secret = 'a.b*c+d?e^f$g{1}h(i)j|k[l]m\\n/s\\d';
    addSecret(secret);
    expect(redactLiterals(`<${secret}>`)).toBe('<[REDACTED]>');
    // Read as a pattern, the same text would match these; as a literal it must not.
    for (const lookalike of ['aXbbbc+d?e^f$g{1}h(i)j|k[l]m\\n/s\\d', 'a.b*c+dXe^f$g{1}h(i)j|k[l]m\\n/s\\d', 'a.b*c+d?e^f$g{1}hij|k[l]m\\n/s\\d', 'a.b*c+d?e^f$g{1}h(i)j|klm\\n/s\\d', 'a.b*c+d?e^f$gh(i)j|k[l]m\\n/s\\d', 'a.b*c+d?e^f$g{1}h(i)j|k[l]m\\n/s7']) {
      expect(redactLiterals(lookalike), lookalike).toBe(lookalike);
    }
    for (const ch of ['.', '*', '+', '?', '^', '$', '{', '}', '(', ')', '|', '[', ']', '\\']) {
      const s = `lit${ch}eral-value-${ch.charCodeAt(0)}`;
      addSecret(s);
      expect(redactLiterals(`x ${s} y`), s).toBe('x [REDACTED] y');
      expect(redactLiterals(`x ${s.replace(ch, 'Q')} y`), s).toBe(`x ${s.replace(ch, 'Q')} y`);
    }
  });

  it('a value registered twice is one entry; a new one after a redaction is masked from then on', () => {
    expect(redactLiterals('late-registered-0001')).toBe('late-registered-0001');
    addSecret('late-registered-0001');
    const size = registeredSecrets().size;
    addSecret('late-registered-0001');
    expect(registeredSecrets().size).toBe(size);
    expect(redactLiterals('late-registered-0001')).toBe('[REDACTED]');
    expect(redact('late-registered-0001')).toBe('[REDACTED]');
  });
});

describe('many or very long literals (V8 refuses a regular expression over about 32 K characters)', () => {
  it('a 40 000-character token and 400 rotated 100-character tokens are all masked, and redact does not throw', () => {
    const huge = `huge-${'h'.repeat(40_000)}-token`;
    addSecret(huge);
    const rotated = Array.from({ length: 400 }, (_, i) => `rotated-${String(i).padStart(4, '0')}-${'r'.repeat(86)}`);
    for (const t of rotated) addSecret(t);
    expect(redactLiterals(`a ${huge} b`)).toBe('a [REDACTED] b');
    // Every occurrence, not only the first.
    expect(redactLiterals(`a ${huge} b ${huge} c ${huge}`)).toBe('a [REDACTED] b [REDACTED] c [REDACTED]');
    expect(redact(`a ${huge} b`)).toBe('a [REDACTED] b');
    const text = rotated.map((t) => `x ${t} y`).join('\n');
    expect(redact(text)).toBe(rotated.map(() => 'x [REDACTED] y').join('\n'));
    expect(redactLiterals(text)).toBe(rotated.map(() => 'x [REDACTED] y').join('\n'));
    // The stream redactor's look-ahead sees the same literals.
    expect(openMatchStart(`${rotated[399]} ${huge} Bearer `)).toBe(rotated[399].length + huge.length + 2);
  });

  it('a literal exactly at the limit for the pattern (16 000 pattern characters) is masked, as is one just past it', () => {
    const atLimit = `L${'l'.repeat(15_998)}!`;
    const pastLimit = `P${'p'.repeat(15_998)}.`; // the dot is escaped: 16 001 pattern characters
    addSecret(atLimit);
    addSecret(pastLimit);
    expect(redactLiterals(`a ${atLimit} b ${pastLimit} c`)).toBe('a [REDACTED] b [REDACTED] c');
  });

  it('in a fresh module: nothing registered masks nothing, and only over-long literals leave no pattern that matches everything', async () => {
    vi.resetModules();
    const fresh = await import('../../src/util/redact.js');
    const plain = 'plain words, Stryker was here, [] | .* ok';
    expect(fresh.redactLiterals(plain)).toBe(plain);
    const huge = `fresh-${'f'.repeat(20_000)}`;
    fresh.addSecret(huge);
    expect(fresh.redactLiterals(plain)).toBe(plain);
    expect(fresh.redactLiterals(`${plain} ${huge}`)).toBe(`${plain} [REDACTED]`);
    fresh.addSecret('fresh-short-secret');
    expect(fresh.redactLiterals(`${plain} fresh-short-secret ${huge}`)).toBe(`${plain} [REDACTED] [REDACTED]`);
  });

  it('longest first holds across groups too: a token containing a shorter one is masked whole', () => {
    const inner = `inner-${'i'.repeat(50)}`;
    const outer = `${'o'.repeat(20_000)}${inner}${'o'.repeat(10)}`;
    addSecret(inner);
    addSecret(outer);
    expect(redactLiterals(`<${outer}>`)).toBe('<[REDACTED]>');
    expect(redactLiterals(`<${inner}>`)).toBe('<[REDACTED]>');
  });
});

describe('registerEnvSecrets', () => {
  it('registers each AWS secret variable (checked with the literal pass alone, so no shape hides a miss)', () => {
    expect([...SECRET_ENV_VARS]).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS_CONTAINER_AUTHORIZATION_TOKEN']);
    const env: Record<string, string> = {};
    for (const name of SECRET_ENV_VARS) env[name] = `value-of-${name.toLowerCase()}`;
    env.AWS_BEARER_TOKEN_OTHERSERVICE = 'other-bearer-value-01';
    env.MY_AWS_BEARER_TOKEN_X = 'not-a-secret-value-01';
    env.AWS_PROFILE = 'profile-name-value-01';
    registerEnvSecrets(env);
    for (const name of SECRET_ENV_VARS) expect(redactLiterals(env[name]), name).toBe('[REDACTED]');
    expect(redactLiterals('other-bearer-value-01')).toBe('[REDACTED]');
    expect(isRegisteredSecret('not-a-secret-value-01')).toBe(false);
    expect(isRegisteredSecret('profile-name-value-01')).toBe(false);
  });
});

describe('registerSecretFiles', () => {
  it('reads each token file named by the environment when asked, not before, and masks its trimmed content', () => {
    expect([...SECRET_FILE_ENV_VARS]).toEqual(['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'AWS_WEB_IDENTITY_TOKEN_FILE']);
    const dir = makeTempDir('bcode-tokenfiles-');
    const container = path.join(dir, 'container-token');
    const oidc = path.join(dir, 'oidc-token');
    writeFileSync(container, '  container-file-token-0001\n');
    writeFileSync(oidc, 'eyJoidc-file-token-0001\n');
    registerEnvSecrets({ AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: ` ${container} `, AWS_WEB_IDENTITY_TOKEN_FILE: oidc });
    expect(isRegisteredSecret('container-file-token-0001')).toBe(false);
    registerSecretFiles();
    expect(redactLiterals('a container-file-token-0001 b eyJoidc-file-token-0001 c')).toBe('a [REDACTED] b [REDACTED] c');
  });

  it('a rotated file is read again and both values stay masked; an unchanged one (same mtime and size) is not re-read', () => {
    const dir = makeTempDir('bcode-tokenfiles-');
    const file = path.join(dir, 'token');
    writeFileSync(file, 'rotating-token-value-A1');
    utimesSync(file, 1_000_000, 1_000_000);
    registerEnvSecrets({ AWS_WEB_IDENTITY_TOKEN_FILE: file });
    registerSecretFiles();
    expect(isRegisteredSecret('rotating-token-value-A1')).toBe(true);
    // Same size, same mtime, other content: the stamp says unchanged, so it is not read.
    writeFileSync(file, 'rotating-token-value-B2');
    utimesSync(file, 1_000_000, 1_000_000);
    expect(statSync(file).mtimeMs).toBe(1_000_000_000);
    registerSecretFiles();
    expect(isRegisteredSecret('rotating-token-value-B2')).toBe(false);
    // Naming the same file again does not forget what was read from it.
    registerEnvSecrets({ AWS_WEB_IDENTITY_TOKEN_FILE: file });
    registerSecretFiles();
    expect(isRegisteredSecret('rotating-token-value-B2')).toBe(false);
    // Rotated (the size differs): read again.
    writeFileSync(file, 'rotating-token-value-C3-longer');
    registerSecretFiles();
    expect(redactLiterals('rotating-token-value-A1 rotating-token-value-C3-longer')).toBe('[REDACTED] [REDACTED]');
  });

  it('a FIFO named as a token file is not read (reading it would block until some writer came)', async () => {
    const dir = makeTempDir('bcode-tokenfiles-');
    const fifo = path.join(dir, 'fifo');
    const mk = spawn('mkfifo', [fifo]);
    await new Promise((resolve) => mk.on('close', resolve));
    // A writer waiting on the FIFO: were bcode to open it, it would read this value.
    const writer = spawn('sh', ['-c', 'printf fifo-token-value-0001 > "$1"', 'sh', fifo], { stdio: 'ignore' });
    try {
      registerEnvSecrets({ AWS_WEB_IDENTITY_TOKEN_FILE: fifo });
      registerSecretFiles();
      expect(isRegisteredSecret('fifo-token-value-0001')).toBe(false);
    } finally {
      writer.kill('SIGKILL');
      await new Promise((resolve) => writer.on('close', resolve));
      // Later calls must not find it (under a mutant that reads it, they would block).
      rmSync(fifo);
    }
  });

  it('a missing path, a directory, a path through a file, and a file over 64 KiB are skipped without error; 64 KiB exactly is read', () => {
    const dir = makeTempDir('bcode-tokenfiles-');
    const big = path.join(dir, 'big');
    const exact = path.join(dir, 'exact');
    writeFileSync(big, 'B'.repeat(64 * 1024 + 1));
    writeFileSync(exact, 'E'.repeat(64 * 1024));
    mkdirSync(path.join(dir, 'adir'));
    writeFileSync(path.join(dir, 'plain'), 'plain-file-content-01');
    for (const f of [path.join(dir, 'missing'), path.join(dir, 'adir'), path.join(dir, 'plain', 'below'), big]) {
      registerEnvSecrets({ AWS_WEB_IDENTITY_TOKEN_FILE: f });
      expect(() => registerSecretFiles(), f).not.toThrow();
    }
    expect(isRegisteredSecret('B'.repeat(64 * 1024 + 1))).toBe(false);
    registerEnvSecrets({ AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: exact });
    registerSecretFiles();
    expect(isRegisteredSecret('E'.repeat(64 * 1024))).toBe(true);
    // A blank variable names no file.
    registerEnvSecrets({ AWS_WEB_IDENTITY_TOKEN_FILE: '   ' });
    expect(() => registerSecretFiles()).not.toThrow();
  });
});

describe('key = value shapes', () => {
  const value = 'Zx9/Qw+Er7Ty0Ui5Op3';
  it('every secret name, in every spelling, hides its value', () => {
    for (const name of [
      'aws_secret_access_key',
      'secret_access_key',
      'SecretAccessKey',
      'secret-access-key',
      'aws_session_token',
      'session_token',
      'SessionToken',
      'session-token',
      'aws_security_token',
      'X-Amz-Security-Token',
      'X-Amz-Signature',
      'AWS_BEARER_TOKEN_BEDROCK',
      'ServiceCredentialSecret',
    ]) {
      for (const form of [`${name}=${value}`, `${name} : ${value}`, `"${name}": "${value}"`, `'${name}'='${value}'`, `?${name}=${value}&next=1`]) masks(`before ${form} after`, value, 'before', 'after', name);
    }
  });

  it('other names with a long value, and names inside a longer word, are left alone', () => {
    for (const t of [`password_hint = ${value}`, `token = ${value}`, `secret = ${value}`, `mysessiontoken=${value}`, `mysecretaccesskey: ${value}`, `Xservicecredentialsecret=${value}`, `= ${value}`, `: ${value}`]) leavesAlone(t);
  });

  it('a value needs 16 credential characters, and must not run on into code', () => {
    masks('session_token=abcdefghijklmnop', 'abcdefghijklmnop');
    leavesAlone('session_token=abcdefghijklmno');
    for (const t of ['sessionToken: someLongVariableName.x', 'sessionToken: someLongVariableName(x)', 'sessionToken: someLongVariableName[0]', 'sessionToken: someLongVariableNameX.y']) leavesAlone(t);
    // The characters of base64, hex and percent-encoding all belong to the value.
    masks('session_token=ab/cd+ef=gh%2F_ij-kl', 'gh%2F_ij-kl');
    expect(redact('session_token=ab/cd+ef=gh%2F_ij-kl;')).toBe('session_token=[REDACTED];');
    // Spaces and quotes around the separator stay as they were.
    expect(redact(`"session_token"  =  '${value}'`)).toBe(`"session_token"  =  '[REDACTED]'`);
  });
});

describe('Authorization, bearer and key shapes', () => {
  it('an Authorization value needs 8 characters; quotes, escaped breaks and look-alike names', () => {
    expect(redact('Authorization:abcdefgh')).toBe('Authorization:[REDACTED]');
    leavesAlone('Authorization:abcdefg');
    // The spaces after the separator may count towards the eight.
    expect(redact('Authorization: abcdefg')).toBe('Authorization:[REDACTED]');
    expect(redact("authorization='Basic dXNlcjpwYXNz' rest")).toBe("authorization='[REDACTED]' rest");
    expect(redact('"Authorization" = "AWS4-HMAC-SHA256 Credential=x" tail')).toBe('"Authorization" = "[REDACTED]" tail');
    expect(redact('Authorization: Bearer abc\\tdef\\rnext')).toBe('Authorization: [REDACTED]\\rnext');
    expect(redact('Authorization: Bearer abcdefghij\r\nHost: x')).toBe('Authorization: [REDACTED]\r\nHost: x');
    expect(redact('Proxy-Authorization: Basic dXNlcjpwYXNzd29yZA==')).toBe('Proxy-Authorization: [REDACTED]');
    leavesAlone('preauthorization: not a header at all');
    // Nor is a name that only ends in authorization, even after a space.
    leavesAlone('see Xauthorization: abcdefghijkl');
  });

  it('Bearer tokens of 8+ token characters, whatever precedes them', () => {
    expect(redact('use Bearer a.b~c+d/e=')).toBe('use Bearer [REDACTED]');
    expect(redact('use Bearer\tabcdefgh!')).toBe('use Bearer\t[REDACTED]!');
    expect(redact('use Bearer   abcdefghij')).toBe('use Bearer   [REDACTED]');
    leavesAlone('use Bearer abcdefg');
    leavesAlone('the Bearer of bad news');
    leavesAlone('xBearer abcdefghijkl');
  });

  it('every IAM id prefix, at 20 and 21 characters; not at 19 or 22, nor inside a longer word', () => {
    for (const p of ['AKIA', 'ASIA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'ABIA', 'ACCA', 'AGPA']) {
      expect(redact(`id ${p}ABCDEFGHIJKLMNOP.`), p).toBe('id [REDACTED].');
      expect(redact(`id ${p}ABCDEFGHIJKLMNOPQ.`), p).toBe('id [REDACTED].');
      leavesAlone(`id ${p}ABCDEFGHIJKLMNO.`);
      leavesAlone(`id ${p}ABCDEFGHIJKLMNOPQR.`);
      leavesAlone(`id X${p}ABCDEFGHIJKLMNOP.`);
    }
    expect(redact('lower akiaabcdefghijklmnop')).toBe('lower akiaabcdefghijklmnop');
  });

  it('bedrock API keys: short-term anywhere, long-term ABSK at a word start with 16+ characters', () => {
    expect(redact('x=bedrock-api-key-abc+/=_-9 end')).toBe('x=[REDACTED] end');
    expect(redact('ABSKabcdefghijklmnop end')).toBe('[REDACTED] end');
    leavesAlone('ABSKabcdefghijklmno end');
    leavesAlone('XABSKabcdefghijklmnop end');
  });

  it('STS session tokens by their prefixes, with 20+ more characters', () => {
    for (const p of ['IQoJb3JpZ2lu', 'FwoGZXIvYXdz', 'FQoGZXIvYXdz']) {
      expect(redact(`t ${p}ABCDEFGHIJ/+=KLMNOPQRS end`), p).toBe('t [REDACTED] end');
      leavesAlone(`t ${p}ABCDEFGHIJKLMNOPQRS end`);
    }
  });

  it('the cheap pre-check does not hide a secret whose only hint is lower case or mid-text', () => {
    leavesAlone('xx signature=abcdefghijklmnopqrst');
    masks('x-amz-signature=abcdefghijklmnopqrst', 'abcdefghijklmnopqrst');
    masks('SERVICECREDENTIALSECRET=abcdefghijklmnopqrst', 'abcdefghijklmnopqrst');
    masks('fwogzxivyxdz? FwoGZXIvYXdzABCDEFGHIJKLMNOPQRST', 'FwoGZXIvYXdzABCDEFGHIJKLMNOPQRST');
    masks('FQoGZXIvYXdzABCDEFGHIJKLMNOPQRST', 'FQoGZXIvYXdzABCDEFGHIJKLMNOPQRST');
    masks('IQoJb3JpZ2luABCDEFGHIJKLMNOPQRST', 'IQoJb3JpZ2luABCDEFGHIJKLMNOPQRST');
    for (const p of ['AKIA', 'ASIA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'ABIA', 'ACCA', 'AGPA']) masks(`${p}ABCDEFGHIJKLMNOP`, `${p}ABCDEFGHIJKLMNOP`);
    masks('ABSKabcdefghijklmnop', 'ABSKabcdefghijklmnop');
    masks('bedrock-api-key-x', 'bedrock-api-key-x');
    masks('BEARER abcdefghijkl'.replace('BEARER', 'Bearer'), 'abcdefghijkl');
  });

  it('empty text is returned as it is', () => {
    expect(redact('')).toBe('');
    expect(redactLiterals('')).toBe('');
  });
});

describe('redactDeep', () => {
  it('masks any non-empty string under a secret-named key (any spelling), keeps empty ones and recurses into objects there', () => {
    const out = redactDeep({
      AWS_SECRET_ACCESS_KEY: 'x',
      'secret-access-key': 'y',
      session_token: 'z',
      AUTHORIZATION: 'w',
      servicecredentialsecret: 'v',
      x_amz_signature: 'u',
      aws_bearer_token_bedrock: 'bt',
      aws_security_token: 'st',
      SessionToken: '',
      sessionToken: { inner: 'ok', AKIA: 'AKIAIOSFODNN7EXAMPLE' },
      secretAccessKey: 7,
      token: 'plain',
      authorizationHeader: 'plain too',
    });
    expect(out).toEqual({
      AWS_SECRET_ACCESS_KEY: '[REDACTED]',
      'secret-access-key': '[REDACTED]',
      session_token: '[REDACTED]',
      AUTHORIZATION: '[REDACTED]',
      servicecredentialsecret: '[REDACTED]',
      x_amz_signature: '[REDACTED]',
      aws_bearer_token_bedrock: '[REDACTED]',
      aws_security_token: '[REDACTED]',
      SessionToken: '',
      sessionToken: { inner: 'ok', AKIA: '[REDACTED]' },
      secretAccessKey: 7,
      token: 'plain',
      authorizationHeader: 'plain too',
    });
  });

  it('arrays are copied, an array in a cycle maps to its copy, shared objects stay shared', () => {
    const arr: unknown[] = ['AKIAIOSFODNN7EXAMPLE'];
    arr.push(arr);
    const shared = { s: 'ok' };
    const input = { arr, a: shared, b: shared };
    const out = redactDeep(input) as { arr: unknown[]; a: object; b: object };
    expect(out.arr).not.toBe(arr);
    expect(out.arr[0]).toBe('[REDACTED]');
    expect(out.arr[1]).toBe(out.arr);
    expect(out.a).toBe(out.b);
    expect(out.a).not.toBe(shared);
    expect(arr[0]).toBe('AKIAIOSFODNN7EXAMPLE');
  });

  it('a Date is kept as is; an Error becomes its name and redacted message; primitives pass', () => {
    const d = new Date(5);
    expect(redactDeep({ d }).d).toBe(d);
    class KeyError extends Error {
      override name = 'KeyError';
    }
    expect(redactDeep([new KeyError('leaked AKIAIOSFODNN7EXAMPLE')])).toEqual([{ name: 'KeyError', message: 'leaked [REDACTED]' }]);
    expect(redactDeep([1, true, null, undefined, 'AKIAIOSFODNN7EXAMPLE'])).toEqual([1, true, null, undefined, '[REDACTED]']);
    expect(redactDeep('session_token=abcdefghijklmnopq')).toBe('session_token=[REDACTED]');
  });
});

describe('openMatchStart (where a whitespace-spanning match may still be open)', () => {
  it('an Authorization header at the end, in each of its growing forms', () => {
    for (const tail of ['Authorization', 'Authorization ', 'Authorization: ', 'Authorization: Bearer ', 'authorization = "Bearer x ', "'Authorization': 'AWS4 a, b ", 'Authorization:Basic a\\ b ']) {
      expect(openMatchStart(`text ${tail}`), tail).toBe(5);
    }
    expect(openMatchStart('text "Authorization": "Bearer ')).toBe(5);
    // A backslash that is not an escaped line break keeps the value open, quoted or not, first or later.
    expect(openMatchStart('text Authorization: "Bearer a\\ b ')).toBe(5);
    expect(openMatchStart('text Authorization: \\x b ')).toBe(5);
    expect(openMatchStart('text Authorization: "\\x b ')).toBe(5);
  });

  it('a closed Authorization value is not open: after its line break, quote or escaped line break', () => {
    for (const t of ['Authorization: Bearer abc\nnext ', 'Authorization: "Bearer abc" next ', 'Authorization: Bearer abc\\nnext ', 'Authorization: Bearer abc\\rnext ', 'Authorization: Bearer abc\rnext ']) {
      expect(openMatchStart(t), JSON.stringify(t)).toBe(-1);
    }
  });

  it('a secret name with its separator, or a Bearer, at the end', () => {
    expect(openMatchStart('x aws_secret_access_key ')).toBe(2);
    expect(openMatchStart('x "SessionToken" : ')).toBe(2);
    expect(openMatchStart("x 'session-token'= ")).toBe(2);
    expect(openMatchStart('x X-Amz-Signature=')).toBe(2);
    expect(openMatchStart('x Bearer  ')).toBe(2);
    expect(openMatchStart('x Bearer')).toBe(-1);
    expect(openMatchStart('x bearer ')).toBe(-1);
    expect(openMatchStart('x session_token = value ')).toBe(-1);
    expect(openMatchStart('plain words only ')).toBe(-1);
  });

  it('the earliest open match wins', () => {
    expect(openMatchStart('a Authorization: x session_token = ')).toBe(2);
    expect(openMatchStart('a Authorization: Bearer ')).toBe(2);
    expect(openMatchStart('Authorization: Bearer ')).toBe(0);
    expect(openMatchStart('a session_token Bearer ')).toBe(16);
  });

  it('a registered literal counts as a stand-in of the same length, so a match after it starts at the same place', () => {
    addSecret('open-literal-secret-9');
    expect(openMatchStart('open-literal-secret-9 Bearer ')).toBe(22);
    // A literal that itself spells a name does not open a match.
    addSecret('session_token=lit-9');
    expect(openMatchStart('session_token=lit-9 ')).toBe(-1);
  });
});
