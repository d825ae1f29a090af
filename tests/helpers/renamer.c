/* A crowd that renames itself on SIGTERM:
 *   renamer N NAME NEWNAME
 * forks N children named NAME (prctl PR_SET_NAME) that ignore SIGTERM but rename themselves NEWNAME when it comes
 * (as a Node process setting process.title would), and otherwise wait for SIGKILL. Once every child has its name and
 * its handler, it prints their PIDs, one per line, then "ready". It reaps them as they die and exits when none is
 * left. Its own comm is its file name, never NAME. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *newname;

static void on_term(int sig) {
  (void)sig;
  prctl(PR_SET_NAME, newname, 0, 0, 0);
}

int main(int argc, char **argv) {
  if (argc != 4) return 2;
  int n = atoi(argv[1]);
  newname = argv[3];
  int ready[2];
  if (n <= 0 || pipe(ready) != 0) return 2;
  pid_t *kids = calloc((size_t)n, sizeof *kids);
  if (!kids) return 2;
  for (int i = 0; i < n; i++) {
    pid_t c = fork();
    if (c < 0) return 3;
    if (c == 0) {
      close(ready[0]);
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_term;
      sigaction(SIGTERM, &sa, NULL);
      prctl(PR_SET_NAME, argv[2], 0, 0, 0);
      (void)!write(ready[1], "x", 1);
      close(ready[1]);
      for (;;) pause();
    }
    kids[i] = c;
  }
  close(ready[1]);
  char buf[256];
  for (int got = 0; got < n;) {
    ssize_t r = read(ready[0], buf, sizeof buf);
    if (r <= 0) return 4;
    got += (int)r;
  }
  for (int i = 0; i < n; i++) printf("%d\n", (int)kids[i]);
  printf("ready\n");
  fflush(stdout);
  while (wait(NULL) > 0 || errno == EINTR) {
  }
  return 0;
}
