/* Benchmark helper: the floor of a killall scan, in C. It makes exactly the syscalls killall-ts makes (read off
 * `strace -f` of `killall-ts -q NOSUCHNAME` and `killall-ts -s 0 NAME`) and does nothing else, so that the bench can
 * put each tool's cost per process beside what the kernel alone charges for the same work.
 *
 *   floor scan          open of /proc (O_DIRECTORY|O_NONBLOCK), fstat, getdents64 of 32 KiB until empty, close;
 *                       then per PID: openat(AT_FDCWD, "/proc/PID/stat"), read of 4 KiB, close.
 *   floor match NAME S  the same scan; for each process whose comm is NAME: the stat fd is kept, the pin
 *                       (open of /proc/PID, O_DIRECTORY), pread64 of the kept stat fd at 0 (the identity re-read),
 *                       close of the stat fd; after the scan, per pin: pidfd_send_signal(pin, S), close (killall-ts
 *                       sends after its scan, holding at most half the soft fd limit of pins at a time).
 *
 * Exit status 0 when something matched (match) or always (scan prints the count of PIDs seen on stdout). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

struct linux_dirent64 {
  unsigned long long d_ino;
  long long d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

/* The PIDs under /proc as getdents64 returns them (ascending), without our own. */
static int *listPids(long *count) {
  int dir = open("/proc", O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_DIRECTORY);
  if (dir < 0) { perror("/proc"); exit(2); }
  struct stat st;
  fstat(dir, &st);
  static char buf[32768];
  long n = 0, cap = 1024;
  int *pids = malloc(sizeof *pids * cap);
  int self = getpid();
  for (;;) {
    long got = syscall(SYS_getdents64, dir, buf, sizeof buf);
    if (got <= 0) break;
    for (long off = 0; off < got;) {
      struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
      off += d->d_reclen;
      if (d->d_name[0] < '1' || d->d_name[0] > '9') continue;
      int pid = atoi(d->d_name);
      if (pid == self) continue;
      if (n == cap) pids = realloc(pids, sizeof *pids * (cap *= 2));
      pids[n++] = pid;
    }
  }
  close(dir);
  *count = n;
  return pids;
}

/* comm from a stat record: between the first '(' and the last ')'. */
static int commIs(const char *stat, long len, const char *name) {
  const char *open = memchr(stat, '(', len);
  const char *close = NULL;
  for (long i = len - 1; i >= 0; i--)
    if (stat[i] == ')') { close = stat + i; break; }
  if (!open || !close || close < open) return 0;
  size_t n = close - open - 1;
  return n == strlen(name) && memcmp(open + 1, name, n) == 0;
}

static void sendAll(int *pins, long n, int sig) {
  for (long i = 0; i < n; i++) {
    syscall(SYS_pidfd_send_signal, pins[i], sig, NULL, 0);
    close(pins[i]);
  }
}

int main(int argc, char **argv) {
  int match = argc >= 4 && strcmp(argv[1], "match") == 0;
  if (!match && (argc < 2 || strcmp(argv[1], "scan") != 0)) {
    fprintf(stderr, "usage: floor scan | floor match NAME SIGNAL\n");
    return 2;
  }
  const char *name = match ? argv[2] : NULL;
  int sig = match ? atoi(argv[3]) : 0;
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  long batchCap = rl.rlim_cur / 2 > 16 ? (long)rl.rlim_cur / 2 : 16;
  int *pins = malloc(sizeof *pins * batchCap);
  long held = 0, matched = 0, count;
  int *pids = listPids(&count);
  char path[64], stat[4096];
  for (long i = 0; i < count; i++) {
    snprintf(path, sizeof path, "/proc/%d/stat", pids[i]);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    long len = read(fd, stat, sizeof stat);
    if (!match || len <= 0 || !commIs(stat, len, name)) {
      close(fd);
      continue;
    }
    snprintf(path, sizeof path, "/proc/%d", pids[i]);
    int pin = open(path, O_RDONLY | O_CLOEXEC | O_DIRECTORY);
    long again = pin >= 0 ? pread(fd, stat, sizeof stat, 0) : -1;
    close(fd);
    if (again <= 0) {
      if (pin >= 0) close(pin);
      continue;
    }
    pins[held++] = pin;
    matched++;
    if (held == batchCap) {
      sendAll(pins, held, sig);
      held = 0;
    }
  }
  sendAll(pins, held, sig);
  printf("pids=%ld matched=%ld\n", count, matched);
  return match && matched == 0 ? 1 : 0;
}
