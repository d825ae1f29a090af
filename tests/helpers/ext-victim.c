/* Victim for the extension tests (--tree, --kill-after, ports). Every process of its tree appends lines
 * "<pid> <ppid> <event> <monotonic ms>" to RECORD (O_APPEND, one write each): event is "ready", or a signal number.
 *   ext-victim RECORD [--stay] [--children N CHILDCOMM] [--depth D] [--respawn] [--listen tcp|udp|tcp6|udp6 PORT]
 * --stay: keep running after any signal (so SIGTERM is recorded and ignored; SIGKILL still ends it).
 * --children N CHILDCOMM: fork N children named CHILDCOMM, each with the same options minus --children/--listen;
 *   with --depth D > 1 each child forks N grandchildren the same way (D levels in all).
 * --respawn: the parent forks a replacement for any child that exits (a supervisor), while it runs.
 * --listen: hold a socket bound to PORT (TCP: listening) on the wildcard address.
 * The top process writes "ready" only once every process of its tree has. Signal 64 is the harness's sentinel. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int recfd = -1;
static int stay = 0;
static int respawn = 0;
static int nchildren = 0;
static int depth = 1;
static const char *childcomm = NULL;
static volatile sig_atomic_t chld = 0;

static long mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void record(const char *event) {
  char buf[128];
  int n = snprintf(buf, sizeof buf, "%d %d %s %ld\n", (int)getpid(), (int)getppid(), event, mono_ms());
  (void)!write(recfd, buf, (size_t)n);
}

static void on_signal(int sig) {
  char ev[16];
  snprintf(ev, sizeof ev, "%d", sig);
  if (sig == SIGCHLD) {
    chld = 1;
    return;
  }
  record(ev);
  if (stay || sig == 64 || sig == SIGCONT || sig == SIGWINCH || sig == SIGURG) return;
  _exit(0);
}

static void arm(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int s = 1; s <= 64; s++) {
    if (s == SIGKILL || s == SIGSTOP || s == 32 || s == 33) continue;
    sigaction(s, &sa, NULL);
  }
}

/* Forks one child of the next level; it reports readiness on the pipe. */
static pid_t spawn_child(int level, int readyfd) {
  pid_t c = fork();
  if (c != 0) return c;
  prctl(PR_SET_NAME, childcomm, 0, 0, 0);
  int kids[64];
  int nk = 0;
  if (level + 1 < depth) {
    int p[2];
    if (pipe(p)) _exit(4);
    for (int i = 0; i < nchildren && i < 64; i++) kids[nk++] = spawn_child(level + 1, p[1]);
    close(p[1]);
    char x;
    for (int i = 0; i < nk; i++) (void)!read(p[0], &x, 1);
    close(p[0]);
  }
  record("ready");
  (void)!write(readyfd, "x", 1);
  if (readyfd >= 0) close(readyfd);
  for (;;) pause();
}

static int listen_on(const char *proto, int port) {
  int v6 = strstr(proto, "6") != NULL;
  int udp = strncmp(proto, "udp", 3) == 0;
  int fd = socket(v6 ? AF_INET6 : AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int r;
  if (v6) {
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons((unsigned short)port);
    a.sin6_addr = in6addr_any;
    r = bind(fd, (struct sockaddr *)&a, sizeof a);
  } else {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    r = bind(fd, (struct sockaddr *)&a, sizeof a);
  }
  if (r < 0) return -1;
  if (!udp && listen(fd, 16) < 0) return -1;
  return fd;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *listen_proto = NULL;
  int listen_port = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--stay")) stay = 1;
    else if (!strcmp(argv[i], "--respawn")) respawn = 1;
    else if (!strcmp(argv[i], "--children") && i + 2 < argc) {
      nchildren = atoi(argv[++i]);
      childcomm = argv[++i];
    } else if (!strcmp(argv[i], "--depth") && i + 1 < argc) depth = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--listen") && i + 2 < argc) {
      listen_proto = argv[++i];
      listen_port = atoi(argv[++i]);
    }
  }
  recfd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (recfd < 0) return 3;
  arm();
  if (listen_proto && listen_on(listen_proto, listen_port) < 0) return 5;
  pid_t kids[64];
  int nk = 0;
  if (nchildren > 0) {
    int p[2];
    if (pipe(p)) return 4;
    for (int i = 0; i < nchildren && i < 64; i++) kids[nk++] = spawn_child(0, p[1]);
    close(p[1]);
    char x;
    for (int i = 0; i < nk; i++) (void)!read(p[0], &x, 1);
    close(p[0]);
  }
  record("ready");
  for (;;) {
    pause();
    if (!chld) continue;
    chld = 0;
    int st;
    pid_t dead;
    while ((dead = waitpid(-1, &st, WNOHANG)) > 0) {
      if (!respawn) continue;
      for (int i = 0; i < nk; i++) {
        if (kids[i] != dead) continue;
        int p[2];
        if (pipe(p)) break;
        kids[i] = spawn_child(0, p[1]);
        close(p[1]);
        char x;
        (void)!read(p[0], &x, 1);
        close(p[0]);
      }
    }
  }
}
