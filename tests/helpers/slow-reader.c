/* A reader that keeps a full pipe waiting:
 *   slow-reader MS CMD [ARG...]
 * runs CMD with its stdout on a pipe of one page (F_SETPIPE_SZ 4096) whose write end is non-blocking (O_NONBLOCK on
 * the open file, as a parent's event loop may leave it), reads nothing for MS milliseconds, then reads everything
 * until EOF, waits for CMD and prints "bytes=N status=S" (S: the exit status, or 128+signal). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  long ms = atol(argv[1]);
  int p[2];
  if (pipe2(p, 0) != 0) return 2;
  (void)fcntl(p[1], F_SETPIPE_SZ, 4096);
  if (fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK) != 0) return 2;
  pid_t c = fork();
  if (c < 0) return 2;
  if (c == 0) {
    dup2(p[1], 1);
    close(p[0]);
    close(p[1]);
    execvp(argv[2], argv + 2);
    _exit(127);
  }
  close(p[1]);
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
  long total = 0;
  char buf[65536];
  for (;;) {
    ssize_t r = read(p[0], buf, sizeof buf);
    if (r <= 0) break;
    total += r;
  }
  int st = 0;
  waitpid(c, &st, 0);
  printf("bytes=%ld status=%d\n", total, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  return 0;
}
