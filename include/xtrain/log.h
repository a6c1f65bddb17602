/* Verbosity, progress lines and interruption, shared by the solvers.
 *
 * Library code reports through these hooks only: messages go to stderr and
 * only at the chosen verbosity, and progress lines only when stderr is a
 * terminal.  Ctrl-C and SIGTERM set a flag that long loops poll so they
 * can stop cleanly and report what they did. */
#ifndef XTRAIN_LOG_H
#define XTRAIN_LOG_H

/* 0 quiet, 1 normal, 2 verbose (-v), 3 debug (-vv). */
extern int xt_verbosity;

/* Writes a message to stderr when level <= xt_verbosity, adding a
 * newline unless format ends with one.  It erases a progress line first. */
void xt_log(int level, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Overwrites the current progress line on a terminal; no-op when stderr
 * is not a terminal, at verbosity 0, or when called again within 0.2 s.
 * xt_progress_done erases the line.  Progress lines should come from one
 * thread. */
void xt_progress(const char *format, ...)
    __attribute__((format(printf, 1, 2)));
void xt_progress_done(void);

/* Installs SIGINT and SIGTERM handlers that set the interrupt flag.  Each
 * handler fires once: a second signal gets the default action, so a
 * second Ctrl-C ends the process. */
void xt_interrupt_install(void);
/* Nonzero once SIGINT or SIGTERM was received. */
int xt_interrupted(void);

/* Seconds since an arbitrary fixed point, monotonic. */
double xt_seconds(void);

#endif
