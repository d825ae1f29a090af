#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <sched.h>
/* fdt4 MODE N: with 7 idle threads (as Node has), time making room for N fds and opening them:
 * 0 natural growth (one RCU grace period per doubling when the table is shared), 1 F_DUPFD to N+64 then close
 * (one), 2 unshare(CLONE_FILES) (none). Prints the ms of the room-making call and of the whole. */
static void *idle(void *a) { for (;;) pause(); return a; }
static double now(void){struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec*1e3+t.tv_nsec/1e6;}
int main(int argc, char **argv) {
  int mode = atoi(argv[1]); int n = atoi(argv[2]);
  for (int i = 0; i < 7; i++) { pthread_t th; pthread_create(&th, NULL, idle, NULL); }
  double t0 = now();
  if (mode == 1) { int fd = fcntl(0, F_DUPFD_CLOEXEC, n + 64); close(fd); }
  if (mode == 2) unshare(CLONE_FILES);
  double t1 = now();
  for (int i = 0; i < n; i++) if (dup(0) < 0) { perror("dup"); return 1; }
  printf("%d %.3f %.3f\n", mode, t1 - t0, now() - t0);
  return 0;
}
