/* Benchmark helper: runs a command and prints its peak resident set (ru_maxrss, KiB) on stderr's last line. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  pid_t c = fork();
  if (c == 0) {
    execvp(argv[1], argv + 1);
    _exit(127);
  }
  int st;
  waitpid(c, &st, 0);
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  fprintf(stderr, "\nmaxrss=%ld\n", ru.ru_maxrss);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
