/* Test oracle: glibc regcomp/regexec in the C locale. Reads records "flags\tpattern\tsubject\n" with C escapes
 * \xHH for any byte, prints one line per record: "E <code>" when regcomp fails, else "1" or "0". */
#include <locale.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t unescape(const char *in, char *out) {
  size_t n = 0;
  while (*in) {
    if (in[0] == '\\' && in[1] == 'x' && in[2] && in[3]) {
      char hex[3] = {in[2], in[3], 0};
      out[n++] = (char)strtol(hex, NULL, 16);
      in += 4;
    } else out[n++] = *in++;
  }
  out[n] = 0;
  return n;
}

int main(void) {
  setlocale(LC_ALL, "C");
  static char line[1 << 16], pat[1 << 16], subj[1 << 16];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *t1 = strchr(line, '\t');
    if (!t1) continue;
    char *t2 = strchr(t1 + 1, '\t');
    if (!t2) continue;
    *t1 = 0;
    *t2 = 0;
    int icase = strchr(line, 'i') != NULL;
    unescape(t1 + 1, pat);
    unescape(t2 + 1, subj);
    regex_t re;
    int rc = regcomp(&re, pat, REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0));
    if (rc != 0) {
      printf("E %d\n", rc);
    } else {
      printf("%d\n", regexec(&re, subj, 0, NULL, 0) == 0);
      regfree(&re);
    }
  }
  return 0;
}
