/* Test victim: records every signal it receives, one decimal number per line, in RECORD.
 *   victim RECORD [--comm NAME] [--fork CHILDCOMM] [--zombie CHILDCOMM] [--stay]
 * --comm renames itself (prctl PR_SET_NAME, so any bytes, newlines included); --fork starts a child in the same
 * process group that records into RECORD.child; --zombie leaves an unreaped child named CHILDCOMM; --stay keeps
 * running after any signal (else it exits after recording one that would end it by default); --churn NAME forks
 * short-lived children named NAME forever (each records any signal into RECORD.churn before it exits).
 * "ready" is written first, once every handler is installed. Signal 64 is the harness's sentinel.
 * Every handler runs with all signals blocked, so signals are handled one at a time, lowest number first: when the
 * harness sends 64 after killall has returned, "64" is recorded only after every signal killall sent was handled,
 * and never by a victim that one of them made exit. A churner that exits first reaps its children, so their
 * records are complete once it is gone. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int recfd = -1;
static int stay = 0;
static int churner = 0;

static void on_signal(int sig) {
  char buf[16];
  int n = 0, v = sig;
  char tmp[16];
  do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
  buf[n++] = '\n';
  (void)!write(recfd, buf, (size_t)n);
  if (stay) return;
  switch (sig) {
    case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH: case SIGTSTP: case SIGTTIN: case SIGTTOU: case 64:
      return;
    default:
      if (churner)
        while (waitpid(-1, NULL, 0) > 0) {
        }
      _exit(0);
  }
}

static void arm(const char *record) {
  recfd = open(record, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (recfd < 0) _exit(3);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigfillset(&sa.sa_mask);
  for (int s = 1; s <= 64; s++) {
    if (s == SIGKILL || s == SIGSTOP || s == 32 || s == 33) continue;
    sigaction(s, &sa, NULL);
  }
  (void)!write(recfd, "ready\n", 6);
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *record = argv[1];
  const char *forkname = NULL, *zombiename = NULL, *churnname = NULL;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--comm") && i + 1 < argc) prctl(PR_SET_NAME, argv[++i], 0, 0, 0);
    else if (!strcmp(argv[i], "--fork") && i + 1 < argc) forkname = argv[++i];
    else if (!strcmp(argv[i], "--zombie") && i + 1 < argc) zombiename = argv[++i];
    else if (!strcmp(argv[i], "--comm-hex") && i + 1 < argc) {
      char name[64] = {0};
      const char *h = argv[++i];
      for (int k = 0; h[2 * k] && h[2 * k + 1] && k < 63; k++) {
        char hex[3] = {h[2 * k], h[2 * k + 1], 0};
        name[k] = (char)strtol(hex, NULL, 16);
      }
      prctl(PR_SET_NAME, name, 0, 0, 0);
    }
    else if (!strcmp(argv[i], "--stay")) stay = 1;
    else if (!strcmp(argv[i], "--churn") && i + 1 < argc) churnname = argv[++i];
  }
  if (zombiename) {
    pid_t z = fork();
    if (z == 0) { prctl(PR_SET_NAME, zombiename, 0, 0, 0); _exit(0); }
    /* Until the child is a zombie (not reaped: WNOWAIT), so that its SIGCHLD comes before any handler. */
    siginfo_t si;
    if (z > 0) (void)waitid(P_PID, (id_t)z, &si, WEXITED | WNOWAIT);
  }
  if (forkname) {
    char childrec[4096];
    snprintf(childrec, sizeof childrec, "%s.child", record);
    int ready[2];
    if (pipe(ready)) return 4;
    pid_t c = fork();
    if (c == 0) {
      close(ready[0]);
      prctl(PR_SET_NAME, forkname, 0, 0, 0);
      arm(childrec);
      (void)!write(ready[1], "x", 1);
      close(ready[1]);
      for (;;) pause();
    }
    close(ready[1]);
    char x;
    (void)!read(ready[0], &x, 1);
    close(ready[0]);
  }
  if (churnname) {
    char churnrec[4096];
    snprintf(churnrec, sizeof churnrec, "%s.churn", record);
    arm(record);
    churner = 1;
    for (;;) {
      pid_t c = fork();
      if (c == 0) {
        prctl(PR_SET_NAME, churnname, 0, 0, 0);
        stay = 0;
        churner = 0;
        arm(churnrec);
        _exit(0);
      }
      if (c > 0) waitpid(c, NULL, 0);
    }
  }
  arm(record);
  for (;;) pause();
}
