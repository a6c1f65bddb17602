/* Replays saved inputs through one fuzz target without libFuzzer, so that
 * the seed corpus and every crash found so far run in the normal test
 * suite (and under the sanitizers there).
 *
 *   replay_TARGET PATH...
 *
 * Each PATH is a file or a directory whose regular files are replayed in
 * name order.  A failing input aborts inside the target; the name of the
 * file being replayed is printed first so the report names it.  An input
 * that runs longer than XTRAIN_REPLAY_SECONDS (default 10, libFuzzer's
 * limit in tests/fuzz/run.sh; 0 for none) fails as a hang. */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz_util.h"

static long replayed;
static unsigned replay_seconds = 10;

/* Fails the replay when the current input runs past the time limit
 * (SIGALRM).  The file name was printed before the input started, and
 * only async-signal-safe calls are made here. */
static void on_timeout(int sig)
{
    static const char message[] =
        "replay: the input above ran past XTRAIN_REPLAY_SECONDS\n";

    (void)sig;
    if (write(STDERR_FILENO, message, sizeof message - 1) < 0) {
        /* nothing more can be done in a signal handler */
    }
    _exit(1);
}

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *data = malloc(cap);
    size_t got;
    while (data && (got = fread(data + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            uint8_t *bigger = realloc(data, cap * 2);
            if (!bigger) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (!data) {
        fprintf(stderr, "replay: out of memory reading %s\n", path);
        return 1;
    }
    fprintf(stderr, "replay: %s\n", path);
    alarm(replay_seconds);
    LLVMFuzzerTestOneInput(data, len);
    alarm(0);
    free(data);
    replayed++;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays the regular files of a directory in name order, skipping
 * hidden files such as .gitkeep. */
static int replay_directory(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "replay: cannot open directory %s\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *entry;
    while ((entry = readdir(d))) {
        if (entry->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                abort();
        }
        size_t size = strlen(dir) + strlen(entry->d_name) + 2;
        names[count] = malloc(size);
        if (!names[count])
            abort();
        snprintf(names[count], size, "%s/%s", dir, entry->d_name);
        count++;
    }
    closedir(d);
    if (count)
        qsort(names, count, sizeof *names, compare_names);
    int failed = 0;
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            failed |= replay_file(names[i]);
        free(names[i]);
    }
    free(names);
    return failed;
}

int main(int argc, char **argv)
{
    const char *seconds = getenv("XTRAIN_REPLAY_SECONDS");
    int failed = 0;

    if (seconds && *seconds) {
        char *end;
        unsigned long value = strtoul(seconds, &end, 10);
        if (*end != '\0' || value > 86400) {
            fprintf(stderr, "replay: invalid XTRAIN_REPLAY_SECONDS=%s "
                    "(expected whole seconds, 0 for no limit)\n", seconds);
            return 2;
        }
        replay_seconds = (unsigned)value;
    }
    signal(SIGALRM, on_timeout);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            /* A target may have no regression files yet. */
            continue;
        }
        failed |= S_ISDIR(st.st_mode) ? replay_directory(argv[i])
                                      : replay_file(argv[i]);
    }
    printf("replay: %ld inputs replayed\n", replayed);
    return failed;
}
