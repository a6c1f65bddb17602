/* Verbosity-filtered messages, progress lines on a terminal, interruption
 * flags and a monotonic clock.  This is the only core file that writes to
 * a stream on its own.
 *
 * NOTE: the progress state is not protected by a lock, so progress lines
 * should come from one thread. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "xtrain/log.h"

/* Minimum time between two progress lines, in seconds. */
#define PROGRESS_INTERVAL 0.2

int xt_verbosity = 1;

static volatile sig_atomic_t interrupt_flag = 0;
static int progress_shown = 0;        /* a progress line is on screen */
static double progress_last = -1.0;   /* time of the last progress line */

/* Erases the progress line, if any, so that a message can take its
 * place. */
static void erase_progress(void)
{
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        progress_shown = 0;
    }
}

void xt_log(int level, const char *format, ...)
{
    va_list args;
    size_t len = strlen(format);

    if (level > xt_verbosity)
        return;
    erase_progress();
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    if (len == 0 || format[len - 1] != '\n')
        fputc('\n', stderr);
    fflush(stderr);
}

void xt_progress(const char *format, ...)
{
    va_list args;
    double now;

    if (xt_verbosity < 1 || !isatty(STDERR_FILENO))
        return;
    now = xt_seconds();
    if (progress_last >= 0 && now - progress_last < PROGRESS_INTERVAL)
        return;
    progress_last = now;
    fputs("\r\033[K", stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fflush(stderr);
    progress_shown = 1;
}

void xt_progress_done(void)
{
    erase_progress();
    fflush(stderr);
    progress_last = -1.0;
}

/* Sets the flag; SA_RESETHAND restores the default action, so a second
 * Ctrl-C ends a process that does not stop on its own. */
static void on_signal(int signal_number)
{
    (void)signal_number;
    interrupt_flag = 1;
}

void xt_interrupt_install(void)
{
    struct sigaction action;

    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

int xt_interrupted(void)
{
    return interrupt_flag != 0;
}

double xt_seconds(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}
