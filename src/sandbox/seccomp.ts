/**
 * A seccomp filter for sandboxed commands: no new AF_UNIX sockets. A Unix socket is a door out
 * of every namespace — `/var/run/docker.sock` starts a privileged container, an ssh or gpg agent
 * signs with the user's keys, a desktop bus runs programs — and bubblewrap's mounts cannot close
 * it (connecting to a socket file needs no write access). Socket pairs (`socketpair`), which
 * programs use to talk to their own children, stay allowed.
 *
 * Written as classic BPF, the format bubblewrap's `--seccomp FD` reads: x86-64 and AArch64 are
 * checked by syscall number; any other architecture (i386 through `int 0x80`, x32) gets EPERM for
 * every call, because their socket calls cannot be told apart by number alone.
 */

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;

const AUDIT_ARCH_X86_64 = 0xc000003e;
const AUDIT_ARCH_AARCH64 = 0xc00000b7;
const X32_SYSCALL_BIT = 0x40000000;
const SYS_SOCKET = { x86_64: 41, aarch64: 198 };
const AF_UNIX = 1;
const EPERM = 1;
const RET_ERRNO = 0x00050000;
const RET_ALLOW = 0x7fff0000;
/** Offsets in struct seccomp_data: nr, arch, then args[0] (low half first on little endian). */
const OFF_NR = 0;
const OFF_ARCH = 4;
const OFF_ARG0 = 16;

/** A jump target left out means the next instruction (an offset of 0), so only real jumps name labels. */
type Insn = { code: number; k: number; jt?: string; jf?: string; label?: string };

function assemble(program: Insn[]): Buffer {
  const at = new Map<string, number>();
  program.forEach((insn, i) => insn.label && at.set(insn.label, i));
  const out = Buffer.alloc(program.length * 8);
  program.forEach((insn, i) => {
    const rel = (label?: string) => (label === undefined ? 0 : at.get(label)! - i - 1);
    out.writeUInt16LE(insn.code, i * 8);
    out.writeUInt8(rel(insn.jt), i * 8 + 2);
    out.writeUInt8(rel(insn.jf), i * 8 + 3);
    out.writeUInt32LE(insn.k >>> 0, i * 8 + 4);
  });
  return out;
}

/** The filter, as bubblewrap wants it (an array of `struct sock_filter`). */
export function noUnixSocketsFilter(): Buffer {
  return assemble([
    { code: LD_W_ABS, k: OFF_ARCH },
    { code: JEQ_K, k: AUDIT_ARCH_X86_64, jf: 'arm?' },
    { code: LD_W_ABS, k: OFF_NR },
    { code: JGE_K, k: X32_SYSCALL_BIT, jt: 'deny' },
    { code: JEQ_K, k: SYS_SOCKET.x86_64, jt: 'family', jf: 'allow' },
    { code: JEQ_K, k: AUDIT_ARCH_AARCH64, jf: 'deny', label: 'arm?' },
    { code: LD_W_ABS, k: OFF_NR },
    { code: JEQ_K, k: SYS_SOCKET.aarch64, jf: 'allow' },
    { code: LD_W_ABS, k: OFF_ARG0, label: 'family' },
    { code: JEQ_K, k: AF_UNIX, jt: 'deny' },
    { code: RET_K, k: RET_ALLOW, label: 'allow' },
    { code: RET_K, k: RET_ERRNO | EPERM, label: 'deny' },
  ]);
}
