/* Benchmark helper: runs a command (stdout and stderr to /dev/null) and prints, on stdout, its wall time, peak
 * resident set and CPU time (user, system): "elapsed_us=N maxrss_kib=N status=N user_us=N sys_us=N". Timing from a tiny C parent keeps the caller's own spawn
 * cost (a Node parent forks a large process) out of the numbers. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pid_t c = fork();
  if (c == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execvp(argv[1], argv + 1);
    _exit(127);
  }
  int st;
  waitpid(c, &st, 0);
  clock_gettime(CLOCK_MONOTONIC, &b);
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  long us = (b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000;
  printf("elapsed_us=%ld maxrss_kib=%ld status=%d user_us=%ld sys_us=%ld\n", us, ru.ru_maxrss,
         WIFEXITED(st) ? WEXITSTATUS(st) : 128, ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec,
         ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec);
  return 0;
}
