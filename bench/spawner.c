/* Benchmark helper: forks COUNT idle children named NAME (prctl), for each COUNT NAME pair, then writes "ready"
 * to stdout and sleeps until killed. Children do nothing but pause(), so a crowded /proc costs little memory. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  for (int a = 1; a + 1 < argc; a += 2) {
    int n = atoi(argv[a]);
    for (int i = 0; i < n; i++) {
      pid_t c = fork();
      if (c < 0) { perror("fork"); return 1; }
      if (c == 0) {
        prctl(PR_SET_NAME, argv[a + 1], 0, 0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        for (;;) pause();
      }
    }
  }
  printf("ready\n");
  fflush(stdout);
  for (;;) pause();
}
