/* Benchmark helper: forks COUNT idle children named NAME (prctl), for each COUNT NAME pair, waits until every child
 * has taken its name, then writes "ready" to stdout. Children do nothing but pause(), so a crowded /proc costs
 * little memory; they are reaped at once when they die (SIGCHLD ignored), so no zombie stays in /proc.
 * With -x as the first argument it exits as soon as every child is gone (the mass-signalling benchmark waits for
 * that before the next round). SIGTERM makes it SIGKILL its children and exit once they are gone: they die while
 * it lives, so they are reaped at once instead of becoming zombies of the namespace's init (which would match
 * later runs, and keep psmisc's -w waiting forever). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void onTerm(int sig) {
  (void)sig;
  stop = 1;
}

int main(int argc, char **argv) {
  int exitWhenGone = argc > 1 && strcmp(argv[1], "-x") == 0;
  int first = exitWhenGone ? 2 : 1;
  int ready[2];
  if (pipe(ready) != 0) { perror("pipe"); return 1; }
  signal(SIGCHLD, SIG_IGN);
  long total = 0;
  pid_t *kids = NULL;
  for (int a = first; a + 1 < argc; a += 2) {
    int n = atoi(argv[a]);
    for (int i = 0; i < n; i++) {
      pid_t c = fork();
      if (c < 0) { perror("fork"); return 1; }
      if (c == 0) {
        signal(SIGTERM, SIG_DFL);
        close(ready[0]);
        prctl(PR_SET_NAME, argv[a + 1], 0, 0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        if (write(ready[1], "r", 1) != 1) _exit(1);
        close(ready[1]);
        for (;;) pause();
      }
      kids = realloc(kids, sizeof *kids * (total + 1));
      if (!kids) { perror("realloc"); return 1; }
      kids[total++] = c;
    }
  }
  close(ready[1]);
  char buf[4096];
  for (long got = 0; got < total;) {
    ssize_t r = read(ready[0], buf, sizeof buf);
    if (r <= 0) { fprintf(stderr, "spawner: a child died before it was ready\n"); return 1; }
    got += r;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = onTerm;
  sigaction(SIGTERM, &sa, NULL);
  printf("ready\n");
  fflush(stdout);
  /* With SIGCHLD ignored, wait() blocks until every child is gone, then fails with ECHILD; a SIGTERM interrupts it
   * (no SA_RESTART). */
  for (;;) {
    if (stop) {
      for (long i = 0; i < total; i++) kill(kids[i], SIGKILL);
      while (wait(NULL) > 0 || errno == EINTR) {}
      return 0;
    }
    if (exitWhenGone) {
      if (wait(NULL) < 0 && errno == ECHILD) return 0;
    } else {
      pause();
    }
  }
}
