/**
 * The seccomp filter judged the way the kernel would, on every architecture it names — not only
 * the host's. runner.test.ts proves the filter works under bubblewrap on this machine (x86-64);
 * the AArch64, x32 and i386 paths can only be exercised here, by running the program in a small
 * classic-BPF interpreter written from the kernel's documented semantics (filter.txt): the
 * accumulator, absolute word loads from `struct seccomp_data`, forward conditional jumps, return.
 */
import { describe, expect, it } from 'vitest';
import { noUnixSocketsFilter } from '../../src/sandbox/seccomp.js';

const ARCH = { x86_64: 0xc000003e, aarch64: 0xc00000b7, i386: 0x40000003 };
const NR = {
  x86_64: { socket: 41, socketpair: 53, write: 1, connect: 42 },
  aarch64: { socket: 198, socketpair: 199, write: 64, connect: 203 },
};
const AF_UNIX = 1;
const AF_INET = 2;
const ALLOW = 0x7fff0000;
const EPERM = 0x00050000 | 1;

/** `struct seccomp_data`: int nr, u32 arch, u64 instruction_pointer, u64 args[6] (little endian). */
function seccompData(arch: number, nr: number, args: bigint[] = []): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32LE(nr >>> 0, 0);
  b.writeUInt32LE(arch >>> 0, 4);
  b.writeBigUInt64LE(0x401000n, 8);
  args.forEach((a, i) => b.writeBigUInt64LE(a, 16 + i * 8));
  return b;
}

/** Runs a classic BPF program over `data` and returns the action, refusing what the kernel's checker refuses. */
function run(program: Buffer, data: Buffer): number {
  expect(program.length % 8).toBe(0);
  const n = program.length / 8;
  let acc = 0;
  for (let pc = 0, steps = 0; steps <= n; steps++) {
    if (pc >= n) throw new Error(`fell off the end of the program at ${pc}`);
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    switch (code) {
      case 0x20: // BPF_LD | BPF_W | BPF_ABS
        if (k % 4 !== 0 || k + 4 > data.length) throw new Error(`bad load offset ${k}`);
        acc = data.readUInt32LE(k);
        pc++;
        break;
      case 0x15: // BPF_JMP | BPF_JEQ | BPF_K
        pc += 1 + (acc === k ? jt : jf);
        break;
      case 0x35: // BPF_JMP | BPF_JGE | BPF_K
        pc += 1 + (acc >= k ? jt : jf);
        break;
      case 0x06: // BPF_RET | BPF_K
        return k;
      default:
        throw new Error(`opcode ${code.toString(16)} is not expected in this filter`);
    }
  }
  throw new Error('no return');
}

const filter = noUnixSocketsFilter();
const verdict = (arch: number, nr: number, ...args: bigint[]) => run(filter, seccompData(arch, nr, args));

describe('the no-Unix-sockets seccomp filter, run as the kernel runs it', () => {
  it('is a whole number of sock_filter instructions, every jump lands inside it, every path returns', () => {
    const n = filter.length / 8;
    expect(n).toBeGreaterThan(0);
    for (let pc = 0; pc < n; pc++) {
      const code = filter.readUInt16LE(pc * 8);
      if ((code & 0x07) === 0x05) {
        expect(pc + 1 + filter.readUInt8(pc * 8 + 2)).toBeLessThan(n);
        expect(pc + 1 + filter.readUInt8(pc * 8 + 3)).toBeLessThan(n);
      }
    }
    expect(filter.readUInt16LE((n - 1) * 8)).toBe(0x06);
  });

  for (const arch of ['x86_64', 'aarch64'] as const) {
    describe(arch, () => {
      const a = ARCH[arch];
      const nr = NR[arch];
      it('socket(AF_UNIX, …) fails with EPERM', () => {
        expect(verdict(a, nr.socket, BigInt(AF_UNIX), 1n)).toBe(EPERM);
      });
      it('socket(AF_INET, …), socketpair(AF_UNIX, …), connect and write are allowed', () => {
        expect(verdict(a, nr.socket, BigInt(AF_INET), 1n)).toBe(ALLOW);
        expect(verdict(a, nr.socketpair, BigInt(AF_UNIX), 1n)).toBe(ALLOW);
        expect(verdict(a, nr.connect, 3n)).toBe(ALLOW);
        // A first argument of 1 (stdout) must not be mistaken for AF_UNIX outside socket().
        expect(verdict(a, nr.write, 1n)).toBe(ALLOW);
        expect(verdict(a, 0, 1n)).toBe(ALLOW);
      });
      it("the other architecture's socket number is not this one's socket", () => {
        const other = arch === 'x86_64' ? NR.aarch64.socket : NR.x86_64.socket;
        expect(verdict(a, other, BigInt(AF_UNIX))).toBe(ALLOW);
      });
    });
  }

  it('x32 system calls (the 0x40000000 bit on x86-64) are refused whatever they are', () => {
    expect(verdict(ARCH.x86_64, 0x40000000 + NR.x86_64.socket, BigInt(AF_INET))).toBe(EPERM);
    expect(verdict(ARCH.x86_64, 0x40000000 + NR.x86_64.write, 1n)).toBe(EPERM);
    expect(verdict(ARCH.x86_64, 0x40000000)).toBe(EPERM);
    expect(verdict(ARCH.x86_64, 0x3fffffff)).toBe(ALLOW);
  });

  it('any other architecture (i386 through int 0x80) gets EPERM for every call', () => {
    for (const nr of [0, 1, 4, 41, 102, 198, 359]) expect(verdict(ARCH.i386, nr, 1n), `nr ${nr}`).toBe(EPERM);
    expect(verdict(0, 41, 2n)).toBe(EPERM);
  });
});
