/* One Z3 check of an SMT-LIB formula in a child process.
 *
 * Each check uses a fresh context and a fresh solver for the formula's
 * logic with a single check.  In Z3 4.8.12, push/pop, assertions after a
 * check and checks with assumptions move nonlinear problems away from
 * nlsat to a core that often returns unknown, and algebraic comparisons
 * in a context that saw a timeout are unreliable.
 *
 * nlsat in Z3 4.8.12 does not always poll its cancel flag (a 2-neuron
 * ReLU instance of 5 points ran for minutes past a 1-minute "timeout"
 * parameter), so the check runs in a child process that the parent kills
 * at the deadline or on Ctrl-C; an abort inside Z3 cannot take xtrain
 * down either.  The child sends back the answer and the values of the
 * requested variables as text: rationals, algebraic numbers as
 * polynomial and isolating interval, and Booleans. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "smt_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

/* Decimal digits of the isolating intervals the child requests from Z3. */
#define INTERVAL_DIGITS 20

/* ----------------------------------------------------------- the child */

/* Writes the value of one variable as a line "NAME q RATIONAL",
 * "NAME a DEGREE C0 .. CDEG LO HI" (an algebraic number: polynomial and
 * isolating interval) or "NAME b 0|1".  Each string Z3 returns is
 * printed before the next call reuses its buffer. */
static void write_value(FILE *out, Z3_context c, Z3_model m,
                        const xt_smt_var *var)
{
    Z3_sort sort = var->boolean ? Z3_mk_bool_sort(c) : Z3_mk_real_sort(c);
    Z3_ast x = Z3_mk_const(c, Z3_mk_string_symbol(c, var->name), sort);
    Z3_ast v = NULL;

    if (!Z3_model_eval(c, m, x, true, &v) || !v)
        return;
    if (var->boolean) {
        fprintf(out, "%s b %d\n", var->name,
                Z3_get_bool_value(c, v) == Z3_L_TRUE);
    } else if (Z3_is_numeral_ast(c, v)) {
        fprintf(out, "%s q %s\n", var->name, Z3_get_numeral_string(c, v));
    } else if (Z3_is_algebraic_number(c, v)) {
        Z3_ast_vector poly = Z3_algebraic_get_poly(c, v);
        Z3_ast_vector_inc_ref(c, poly);
        unsigned size = Z3_ast_vector_size(c, poly);
        fprintf(out, "%s a %u", var->name, size - 1);
        for (unsigned i = 0; i < size; i++)
            fprintf(out, " %s", Z3_get_numeral_string(
                                    c, Z3_ast_vector_get(c, poly, i)));
        Z3_ast_vector_dec_ref(c, poly);
        fprintf(out, " %s", Z3_get_numeral_string(
            c, Z3_get_algebraic_number_lower(c, v, INTERVAL_DIGITS)));
        fprintf(out, " %s\n", Z3_get_numeral_string(
            c, Z3_get_algebraic_number_upper(c, v, INTERVAL_DIGITS)));
    }
}

static void set_timeout(Z3_context c, Z3_solver s, double seconds)
{
    Z3_params params;
    double ms = ceil(seconds * 1000.0);

    if (seconds <= 0)
        return;
    params = Z3_mk_params(c);
    Z3_params_inc_ref(c, params);
    Z3_params_set_uint(c, params, Z3_mk_string_symbol(c, "timeout"),
                       ms > 4e9 ? 4000000000u : (unsigned)(ms < 1 ? 1 : ms));
    Z3_solver_set_params(c, s, params);
    Z3_params_dec_ref(c, params);
}

/* Parses the formula into a fresh context, checks it with a fresh solver
 * for logic, and writes "sat" and the values, "unsat", "unknown REASON"
 * or "error MESSAGE" to out. */
static void child_check(FILE *out, const char *formula, const char *logic,
                        const xt_smt_var *vars, int count, double time_limit)
{
    Z3_context c = xt_z3_context_new();
    Z3_ast_vector assertions;
    Z3_solver s;
    Z3_lbool result;

    if (!c) {
        fputs("error Z3 could not create a context\n", out);
        return;
    }
    assertions = Z3_parse_smtlib2_string(c, formula, 0, NULL, NULL, 0, NULL,
                                         NULL);
    if (Z3_get_error_code(c) != Z3_OK) {
        fprintf(out, "error Z3 rejected the generated formula: %s\n",
                Z3_get_error_msg(c, Z3_get_error_code(c)));
        return;
    }
    Z3_ast_vector_inc_ref(c, assertions);
    s = Z3_mk_solver_for_logic(c, Z3_mk_string_symbol(c, logic));
    Z3_solver_inc_ref(c, s);
    set_timeout(c, s, time_limit);
    for (unsigned i = 0; i < Z3_ast_vector_size(c, assertions); i++)
        Z3_solver_assert(c, s, Z3_ast_vector_get(c, assertions, i));
    result = Z3_solver_check(c, s);
    if (result == Z3_L_TRUE) {
        Z3_model m = Z3_solver_get_model(c, s);
        Z3_model_inc_ref(c, m);
        fputs("sat\n", out);
        for (int i = 0; i < count; i++)
            write_value(out, c, m, &vars[i]);
        Z3_model_dec_ref(c, m);
    } else if (result == Z3_L_FALSE) {
        fputs("unsat\n", out);
    } else {
        fprintf(out, "unknown %s\n", Z3_solver_get_reason_unknown(c, s));
    }
    fflush(out);
    /* the process ends here, so the context need not be deleted */
}

/* ---------------------------------------------------------- the parent */

/* Reads everything the child writes until it exits, killing it at the
 * deadline (0: none) or on an interrupt.  Returns the output in a
 * malloc'd string; *killed is 0, 1 (time limit) or 2 (interrupt). */
static char *collect(int fd, pid_t pid, double deadline, int *killed,
                     int *wstatus)
{
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    struct pollfd p = {fd, POLLIN, 0};

    *killed = 0;
    if (!buf)
        abort();
    for (;;) {
        if (xt_interrupted())
            *killed = 2;
        else if (deadline > 0 && xt_seconds() > deadline)
            *killed = 1;
        if (*killed) {
            kill(pid, SIGKILL);
            break;
        }
        int ready = poll(&p, 1, 50);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready <= 0)
            continue;
        if (len + 1024 > cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                abort();
            buf = bigger;
        }
        ssize_t got = read(fd, buf + len, cap - len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    buf[len] = '\0';
    while (waitpid(pid, wstatus, 0) < 0 && errno == EINTR)
        ;
    return buf;
}

/* Interprets the first line of the child's output. */
static int read_answer(xt_smt_run *run, int wstatus, xt_error_t *err)
{
    const char *out = run->output;

    if (run->killed) {
        snprintf(run->reason, sizeof run->reason, "%s", run->killed == 2 ?
                 "interrupted" : "timeout");
        return XT_OK;
    }
    if (strncmp(out, "sat\n", 4) == 0) {
        run->status = XT_SMT_SAT;
        run->model = out + 4;
    } else if (strncmp(out, "unsat\n", 6) == 0) {
        run->status = XT_SMT_UNSAT;
    } else if (strncmp(out, "unknown ", 8) == 0) {
        snprintf(run->reason, sizeof run->reason, "%.*s",
                 (int)strcspn(out + 8, "\n"), out + 8);
    } else if (strncmp(out, "error ", 6) == 0) {
        xt_error_set(err, "%.*s", (int)strcspn(out + 6, "\n"), out + 6);
        return XT_ERR_INTERNAL;
    } else {
        /* Z3 aborts when an allocation fails, which --memory-limit makes
         * likely: no answer, like a time limit, rather than a bug. */
        xt_error_set(err, "Z3 ended without an answer (%s %d) on the "
                     "generated formula, most likely out of memory",
                     WIFSIGNALED(wstatus) ? "signal" : "exit status",
                     WIFSIGNALED(wstatus) ? WTERMSIG(wstatus)
                                          : WEXITSTATUS(wstatus));
        return XT_ERR_NOMEM;
    }
    return XT_OK;
}

void xt_smt_run_init(xt_smt_run *run)
{
    memset(run, 0, sizeof *run);
    run->status = XT_SMT_UNKNOWN;
}

void xt_smt_run_clear(xt_smt_run *run)
{
    free(run->output);
    xt_smt_run_init(run);
}

int xt_smt_run_check(xt_smt_run *run, const char *formula,
                     const char *logic, const xt_smt_var *vars, int count,
                     double time_limit, xt_error_t *err)
{
    int fds[2], wstatus = 0;
    double deadline = time_limit > 0 ? xt_seconds() + time_limit : 0;
    pid_t pid;

    xt_smt_run_clear(run);
    if (pipe(fds) != 0) {
        xt_error_set(err, "cannot create a pipe for Z3: %s",
                     strerror(errno));
        return XT_ERR_INTERNAL;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        xt_error_set(err, "cannot start a process for Z3: %s",
                     strerror(errno));
        return XT_ERR_INTERNAL;
    }
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        close(fds[0]);
        FILE *out = fdopen(fds[1], "w");
        if (out)
            child_check(out, formula, logic, vars, count, time_limit);
        _exit(0);
    }
    close(fds[1]);
    run->output = collect(fds[0], pid, deadline, &run->killed, &wstatus);
    close(fds[0]);
    return read_answer(run, wstatus, err);
}

/* ---------------------------------------------------------- the values */

/* Finds the line "NAME ..." and returns the text after the name, or
 * NULL. */
static const char *find_value(const char *model, const char *name)
{
    size_t n = strlen(name);

    for (const char *line = model; line && *line;) {
        if (strncmp(line, name, n) == 0 && line[n] == ' ')
            return line + n + 1;
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return NULL;
}

/* Parses "a DEG C0 .. CDEG LO HI" into out. */
static int parse_algebraic(xt_algebraic_struct *out, const char *text,
                           xt_error_t *err)
{
    xt_poly p;
    mpq_t lo, hi;
    char word[4096];
    int deg, used, status = XT_OK;

    if (sscanf(text, "a %d%n", &deg, &used) != 1 || deg < 1 || deg > 10000)
        return XT_ERR_INTERNAL;
    text += used;
    xt_poly_init(&p);
    mpq_inits(lo, hi, NULL);
    xt_poly_reserve(&p, deg);
    p.deg = deg;
    for (int i = 0; i <= deg + 2 && status == XT_OK; i++) {
        if (sscanf(text, " %4095s%n", word, &used) != 1) {
            status = XT_ERR_INTERNAL;
            break;
        }
        text += used;
        if (i <= deg)
            status = mpz_set_str(p.c[i], word, 10) == 0 ? XT_OK
                                                        : XT_ERR_INTERNAL;
        else
            status = xt_rat_parse(i == deg + 1 ? lo : hi, word) == 0
                         ? XT_OK : XT_ERR_INTERNAL;
    }
    xt_poly_normalize(&p);
    if (status == XT_OK &&
        xt_algebraic_set_poly_interval(out, &p, lo, hi, err) != XT_OK) {
        xt_error_set(err, "Z3's isolating interval for an algebraic number "
                     "does not hold exactly one root of its polynomial");
        status = XT_ERR_INTERNAL;
    }
    mpq_clears(lo, hi, NULL);
    xt_poly_clear(&p);
    return status;
}

int xt_smt_model_real(xt_algebraic_struct *out, const char *model,
                      const char *name, xt_error_t *err)
{
    const char *text = find_value(model, name);
    char word[4096];
    mpq_t q;
    int status = XT_OK;

    mpq_init(q);
    if (!text) {
        xt_algebraic_set_q(out, q);     /* Z3 gave none: any value fits */
    } else if (text[0] == 'q') {
        if (sscanf(text, "q %4095s", word) != 1 || xt_rat_parse(q, word))
            status = XT_ERR_INTERNAL;
        else
            xt_algebraic_set_q(out, q);
    } else if (text[0] != 'a' || parse_algebraic(out, text, err)) {
        status = XT_ERR_INTERNAL;
    }
    mpq_clear(q);
    if (status != XT_OK && !strstr(err->message, "isolating"))
        xt_error_set(err, "cannot read Z3's value of %s", name);
    return status;
}

int xt_smt_model_bool(const char *model, const char *name)
{
    const char *text = find_value(model, name);

    if (!text)
        return -1;
    return strncmp(text, "b 1", 3) == 0;
}
