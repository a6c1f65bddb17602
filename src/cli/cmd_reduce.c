/* xtrain reduce: run a hardness reduction, its certificate maps and its
 * source problem, and verify the reduction in both directions.
 *
 *   xtrain reduce NAME SOURCE -o INSTANCE        the training instance
 *   xtrain reduce NAME SOURCE --solve            every source certificate
 *   xtrain reduce NAME SOURCE --forward CERT     network from certificate
 *   xtrain reduce NAME SOURCE --backward NET     certificate from network
 *   xtrain reduce NAME --generate                random source instance
 *   xtrain reduce NAME --verify [...]            the verifier
 *   xtrain reduce --external SPEC --verify       same for a reduction
 *                                                written elsewhere */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "xtrain/log.h"
#include "xtrain/reduction.h"

enum {
    OPT_OUTPUT = XT_OPT_FIRST_COMMAND,
    OPT_SOLVE, OPT_FORWARD, OPT_BACKWARD, OPT_GENERATE, OPT_VERIFY,
    OPT_EXTERNAL, OPT_LIST, OPT_SEED, OPT_COUNT, OPT_SIZE, OPT_MIN_SIZE,
    OPT_MAX_SIZE, OPT_EXHAUSTIVE, OPT_PLANTED, OPT_COUNTEREXAMPLE,
    OPT_TIME_LIMIT, OPT_VERTEX_LIMIT, OPT_ENUMERATE_POINTS,
    OPT_MAX_NETWORKS, OPT_NO_SHRINK
};

static const xt_cli_option reduce_options[] = {
    XT_CLI_COMMON_OPTIONS,
    {"output", 'o', 1, OPT_OUTPUT, "FILE    write the result here"},
    {"list", 0, 0, OPT_LIST, "        list reductions and source problems"},
    {"solve", 0, 0, OPT_SOLVE,
     "        list every certificate of SOURCE (brute force)"},
    {"forward", 0, 1, OPT_FORWARD,
     "CERT    map a certificate (v lines) to a network"},
    {"backward", 0, 1, OPT_BACKWARD,
     "NET     map a network to a certificate"},
    {"generate", 0, 0, OPT_GENERATE, "        write a random source instance"},
    {"planted", 0, 0, OPT_PLANTED,
     "        --generate: hide a solution in it"},
    {"size", 0, 1, OPT_SIZE, "N       --generate: variables (elements)"},
    {"verify", 0, 0, OPT_VERIFY, "        verify the reduction"},
    {"external", 0, 1, OPT_EXTERNAL,
     "SPEC    a reduction given by commands (see docs/reductions.md)"},
    {"seed", 0, 1, OPT_SEED, "S       random seed (default 1)"},
    {"count", 0, 1, OPT_COUNT, "N       random instances (default 100)"},
    {"min-size", 0, 1, OPT_MIN_SIZE,
     "M       smallest random size (default 1)"},
    {"max-size", 0, 1, OPT_MAX_SIZE,
     "M       largest size: variables, and clauses for --exhaustive "
     "(default 6)"},
    {"exhaustive", 0, 0, OPT_EXHAUSTIVE,
     "        every instance up to --max-size instead of random ones"},
    {"counterexample", 0, 1, OPT_COUNTEREXAMPLE,
     "FILE    where to write the smallest failing instance"},
    {"time-limit", 't', 1, OPT_TIME_LIMIT,
     "SEC     per solver run (0: no limit)"},
    {"vertex-limit", 0, 1, OPT_VERTEX_LIMIT,
     "N       vertex solutions when at most N row subsets (default 3000)"},
    {"enumerate-points", 0, 1, OPT_ENUMERATE_POINTS,
     "N       also enumerate every dichotomy tuple up to N points "
     "(default 10)"},
    {"max-networks", 0, 1, OPT_MAX_NETWORKS,
     "N       backward-check at most N networks per solver run"},
    {"no-shrink", 0, 0, OPT_NO_SHRINK,
     "        do not minimize a failing instance"},
    {NULL, 0, 0, 0, NULL}
};

static const char reduce_usage[] =
    "xtrain reduce NAME SOURCE -o INSTANCE\n"
    "       xtrain reduce NAME SOURCE --solve | --forward CERT | "
    "--backward NETWORK\n"
    "       xtrain reduce NAME --generate [--size N] [--planted] [--seed S]\n"
    "       xtrain reduce NAME --verify [--seed S] [--count N] "
    "[--max-size M]\n"
    "                     [--exhaustive] [SOURCE...]\n"
    "       xtrain reduce --external SPEC --verify [...]\n"
    "       xtrain reduce --list";

static const char reduce_description[] =
    "Runs the reduction NAME (see --list) or its source problem.  NAME may\n"
    "also be a source problem for --solve and --generate.  --verify solves\n"
    "each source instance by brute force, maps every certificate forward\n"
    "and checks the network exactly, maps every network the exact solver\n"
    "finds back and checks the certificate, and requires the solver to\n"
    "prove NO instances infeasible; it prints a summary table and writes\n"
    "the smallest failing instance to a file.  Exit status: 0 success or\n"
    "YES, 1 a failed check or NO, 2 bad input, 3 undecided (limit or\n"
    "interrupt), 4 internal error.";

typedef struct {
    const char *name, *source_path, *output, *forward, *backward;
    const char *external, *counterexample;
    const char *extra_sources[64];
    int extra_count;
    int list, solve, generate, verify, planted;
    long size;
    xt_verify_options vopt;
} reduce_args;

static const char cmd[] = "xtrain reduce";

static int parse_seed(uint64_t *out, const char *value)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 10);
    if (!*value || *end || errno || value[0] == '-') {
        fprintf(stderr, "%s: invalid seed \"%s\" (expected a nonnegative "
                "integer)\n", cmd, value);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

/* Handles the options that take a count; returns 1 when handled, -1 on
 * an invalid value, 0 when id is another option. */
static int count_option(reduce_args *a, int id, const char *value)
{
    static const struct { int id; const char *name; long max; } table[] = {
        {OPT_COUNT, "count", 1000000000L}, {OPT_SIZE, "size", 1000000L},
        {OPT_MIN_SIZE, "min-size", 1000}, {OPT_MAX_SIZE, "max-size", 1000},
        {OPT_VERTEX_LIMIT, "vertex-limit", 1000000000L},
        {OPT_ENUMERATE_POINTS, "enumerate-points", 1000000L},
        {OPT_MAX_NETWORKS, "max-networks", 1000000000L},
    };
    for (size_t t = 0; t < sizeof table / sizeof *table; t++) {
        if (table[t].id != id)
            continue;
        long v = xt_cli_parse_count(cmd, table[t].name, value, table[t].max);
        if (v < 0)
            return -1;
        switch (id) {
        case OPT_COUNT: a->vopt.count = v; break;
        case OPT_SIZE: a->size = v; break;
        case OPT_MIN_SIZE: a->vopt.min_size = (int)v; break;
        case OPT_MAX_SIZE: a->vopt.max_size = (int)v; break;
        case OPT_VERTEX_LIMIT: a->vopt.vertex_limit = v; break;
        case OPT_ENUMERATE_POINTS: a->vopt.enumerate_points = v; break;
        default: a->vopt.max_networks = v; break;
        }
        return 1;
    }
    return 0;
}

static int positional(reduce_args *a, const char *value)
{
    if (!a->name && !a->external) {
        a->name = value;
    } else if (!a->source_path) {
        a->source_path = value;
    } else if (a->extra_count < 64) {
        a->extra_sources[a->extra_count++] = value;
    } else {
        fprintf(stderr, "%s: too many arguments\n", cmd);
        return -1;
    }
    return 0;
}

/* Parses the command line; returns -1 to continue, else an exit code. */
static int parse_args(reduce_args *a, int argc, char **argv)
{
    xt_cli_parser p;
    xt_cli_parser_init(&p, cmd, argc, argv);
    int id;
    while ((id = xt_cli_next(&p, reduce_options)) != XT_OPT_END) {
        int counted = count_option(a, id, p.value);
        if (counted < 0 || id == XT_OPT_ERROR)
            return XT_EXIT_USAGE;
        if (counted)
            continue;
        switch (id) {
        case XT_OPT_HELP:
            xt_cli_print_help(reduce_usage, reduce_description,
                              reduce_options);
            return XT_EXIT_OK;
        case XT_OPT_VERBOSE: xt_verbosity++; break;
        case XT_OPT_QUIET: xt_verbosity = 0; break;
        case OPT_OUTPUT: a->output = p.value; break;
        case OPT_LIST: a->list = 1; break;
        case OPT_SOLVE: a->solve = 1; break;
        case OPT_FORWARD: a->forward = p.value; break;
        case OPT_BACKWARD: a->backward = p.value; break;
        case OPT_GENERATE: a->generate = 1; break;
        case OPT_PLANTED: a->planted = 1; break;
        case OPT_VERIFY: a->verify = 1; break;
        case OPT_EXTERNAL: a->external = p.value; break;
        case OPT_EXHAUSTIVE: a->vopt.exhaustive = 1; break;
        case OPT_NO_SHRINK: a->vopt.shrink = 0; break;
        case OPT_COUNTEREXAMPLE: a->counterexample = p.value; break;
        case OPT_SEED:
            if (parse_seed(&a->vopt.seed, p.value))
                return XT_EXIT_USAGE;
            break;
        case OPT_TIME_LIMIT:
            a->vopt.time_limit = xt_cli_parse_seconds(cmd, "time-limit",
                                                      p.value);
            if (a->vopt.time_limit < 0)
                return XT_EXIT_USAGE;
            break;
        case XT_OPT_POSITIONAL:
            if (positional(a, p.value))
                return XT_EXIT_USAGE;
            break;
        }
    }
    return -1;
}

static void print_list(void)
{
    printf("reductions:\n");
    for (int i = 0; xt_reductions[i]; i++)
        printf("  %-20s %s\n", xt_reductions[i]->name,
               xt_reductions[i]->summary);
    for (int i = 0; xt_real_reductions[i]; i++)
        printf("  %-20s %s\n", xt_real_reductions[i]->name,
               xt_real_reductions[i]->summary);
    printf("source problems:\n");
    for (int i = 0; xt_source_problems[i]; i++)
        printf("  %-20s %s (\"p %s\" files)\n", xt_source_problems[i]->name,
               xt_source_problems[i]->summary,
               xt_source_problems[i]->header);
}

static int load_source(xt_clauses_t src, const xt_source_problem *p,
                       const char *path)
{
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_source_read_file(src, p, path, &err) != XT_OK) {
        fprintf(stderr, "%s: %s\n", cmd, err.message);
        return XT_EXIT_USAGE;
    }
    return XT_EXIT_OK;
}

static int run_solve(const xt_source_problem *p, const xt_clauses_t src,
                     FILE *out)
{
    xt_certificate_list list;
    xt_certificate_list_init(&list, src->nvars);
    xt_error_t err;
    if (xt_source_solve(&list, p, src, &err) != XT_OK) {
        fprintf(stderr, "%s: %s\n", cmd, err.message);
        return XT_EXIT_UNKNOWN;
    }
    fprintf(out, "c %s: %d variables, %d clauses, %ld certificates\n",
            p->name, src->nvars, src->nclauses, list.count);
    xt_certificates_write(out, &list);
    int rc = list.count > 0 ? XT_EXIT_OK : XT_EXIT_NO;
    xt_certificate_list_clear(&list);
    return rc;
}

static int run_generate(const reduce_args *a, const xt_source_problem *p,
                        FILE *out)
{
    xt_clauses_t src;
    xt_clauses_init(src);
    uint64_t rng = a->vopt.seed;
    int size = a->size > 0 ? (int)a->size : 5;
    if (p->random(src, &rng, size, a->planted) != XT_OK) {
        fprintf(stderr, "%s: out of memory\n", cmd);
        xt_clauses_clear(src);
        return XT_EXIT_INTERNAL;
    }
    fprintf(out, "c %s instance, seed %llu, size %d%s\n", p->name,
            (unsigned long long)a->vopt.seed, size,
            a->planted ? ", planted solution" : "");
    xt_source_write(out, p, src);
    xt_clauses_clear(src);
    return XT_EXIT_OK;
}

static int run_map(const xt_reduction *red, const xt_clauses_t src,
                   FILE *out)
{
    xt_instance_t inst;
    xt_instance_init(inst);
    xt_error_t err;
    int rc = XT_EXIT_OK;
    if (red->map(red, inst, src, &err) != XT_OK) {
        fprintf(stderr, "%s: %s: %s\n", cmd, red->name, err.message);
        rc = XT_EXIT_USAGE;
    } else {
        xt_instance_write(out, inst);
    }
    xt_instance_clear(inst);
    return rc;
}

/* Reads the first certificate of a file of v lines. */
static int read_certificate(xt_assignment_t a, const char *path, int n)
{
    xt_certificate_list list;
    xt_certificate_list_init(&list, n);
    xt_error_t err;
    int rc = XT_EXIT_OK;
    if (xt_certificates_read_file(&list, n, path, &err) != XT_OK) {
        fprintf(stderr, "%s: %s\n", cmd, err.message);
        rc = XT_EXIT_USAGE;
    } else if (list.count < 1) {
        fprintf(stderr, "%s: %s: no certificate (expected v lines ending "
                "with 0)\n", cmd, path);
        rc = XT_EXIT_USAGE;
    } else {
        xt_certificate_list_get(a, &list, 0);
    }
    xt_certificate_list_clear(&list);
    return rc;
}

static int run_forward(const xt_reduction *red, const xt_clauses_t src,
                       const char *path, FILE *out)
{
    xt_instance_t inst;
    xt_network_t net;
    xt_assignment_t a;
    xt_instance_init(inst);
    xt_network_init(net);
    xt_assignment_init(a);
    xt_error_t err;
    int rc = read_certificate(a, path, src->nvars);
    if (rc == XT_EXIT_OK && !red->source->check(src, a)) {
        fprintf(stderr, "%s: %s is not a certificate of the source "
                "instance\n", cmd, path);
        rc = XT_EXIT_NO;
    }
    if (rc == XT_EXIT_OK &&
        (red->map(red, inst, src, &err) != XT_OK ||
         red->forward(red, net, src, inst, a, &err) != XT_OK)) {
        fprintf(stderr, "%s: %s: %s\n", cmd, red->name, err.message);
        rc = XT_EXIT_USAGE;
    }
    if (rc == XT_EXIT_OK)
        xt_network_write(out, net);
    xt_assignment_clear(a);
    xt_network_clear(net);
    xt_instance_clear(inst);
    return rc;
}

static int run_backward(const xt_reduction *red, const xt_clauses_t src,
                        const char *path, FILE *out)
{
    xt_instance_t inst;
    xt_network_t net;
    xt_assignment_t a;
    xt_instance_init(inst);
    xt_network_init(net);
    xt_assignment_init(a);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = XT_EXIT_OK;
    if (xt_network_read_file(net, path, &err) != XT_OK ||
        red->map(red, inst, src, &err) != XT_OK ||
        red->backward(red, a, src, inst, net, &err) != XT_OK) {
        fprintf(stderr, "%s: %s\n", cmd, err.message);
        rc = XT_EXIT_USAGE;
    } else {
        xt_certificate_list one;
        xt_certificate_list_init(&one, src->nvars);
        xt_certificate_list_push(&one, a);
        int valid = red->source->check(src, a);
        fprintf(out, "c backward map of %s: %s certificate\n", path,
                valid ? "a valid" : "NOT a valid");
        xt_certificates_write(out, &one);
        xt_certificate_list_clear(&one);
        rc = valid ? XT_EXIT_OK : XT_EXIT_NO;
    }
    xt_assignment_clear(a);
    xt_network_clear(net);
    xt_instance_clear(inst);
    return rc;
}

static void print_summary(const xt_reduction *red,
                          const xt_verify_report_t rep)
{
    printf("reduction          %s\n", red->name);
    printf("source problem     %s\n", red->source->name);
    printf("instances          %ld (YES %ld, NO %ld)\n", rep->instances,
           rep->yes, rep->no);
    printf("certificates       %ld\n", rep->certificates);
    printf("forward checks     %ld\n", rep->forward_checks);
    printf("backward checks    %ld\n", rep->backward_checks);
    printf("solver runs        %ld (undecided %ld)\n", rep->solver_runs,
           rep->undecided);
    printf("size checks        %ld\n", rep->size_checks);
    printf("failed checks      %ld in %ld instances\n", rep->failures,
           rep->failed_instances);
    printf("time               %.2f s\n", rep->seconds);
}

static const char *counterexample_path(const reduce_args *a,
                                       const xt_reduction *red, char *buf,
                                       size_t size)
{
    if (a->counterexample)
        return a->counterexample;
    snprintf(buf, size, "%s-counterexample.txt", red->name);
    for (char *p = buf; *p; p++)
        if (*p == '/')
            *p = '_';
    return buf;
}

static void report_failure(const reduce_args *a, const xt_reduction *red,
                           const xt_verify_report_t rep)
{
    char buf[300];
    const char *path = counterexample_path(a, red, buf, sizeof buf);
    printf("FAILED: %s\n", rep->failure_message);
    printf("seed %llu", (unsigned long long)a->vopt.seed);
    if (rep->failure_index >= 0)
        printf(", random instance %ld (replay: --seed %llu --count 1 "
               "--min-size %d --max-size %d)", rep->failure_index,
               (unsigned long long)(a->vopt.seed +
                                    (uint64_t)rep->failure_index),
               a->vopt.min_size, a->vopt.max_size);
    printf("\nsmallest failing source instance:\n");
    xt_source_write(stdout, red->source, rep->failure);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "%s: cannot write %s: %s\n", cmd, path,
                strerror(errno));
        return;
    }
    fprintf(f, "c counterexample for the reduction %s (xtrain reduce "
            "--verify, seed %llu)\nc %s\n", red->name,
            (unsigned long long)a->vopt.seed, rep->failure_message);
    xt_source_write(f, red->source, rep->failure);
    fclose(f);
    printf("written to %s\n", path);
}

static int verify_files(const reduce_args *a, const xt_reduction *red,
                        xt_verify_report_t rep, xt_error_t *err)
{
    xt_clauses_t src;
    xt_clauses_init(src);
    int rc = XT_OK;
    double start = xt_seconds();
    const char *first[1] = {a->source_path};
    for (int f = 0; f <= a->extra_count && rc == XT_OK; f++) {
        const char *path = f == 0 ? first[0] : a->extra_sources[f - 1];
        if (load_source(src, red->source, path) != XT_EXIT_OK) {
            rc = XT_ERR_INPUT;
            xt_error_set(err, "could not read %s", path);
            break;
        }
        rc = xt_verify_instance(rep, red, src, &a->vopt, err);
    }
    rep->seconds = xt_seconds() - start;
    xt_clauses_clear(src);
    return rc;
}

static int run_verify(const reduce_args *a, const xt_reduction *red)
{
    xt_verify_report_t rep;
    xt_verify_report_init(rep);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = a->source_path ? verify_files(a, red, rep, &err)
                            : xt_verify(rep, red, &a->vopt, &err);
    print_summary(red, rep);
    int code;
    if (rep->failures > 0) {
        report_failure(a, red, rep);
        code = XT_EXIT_NO;
    } else if (rc != XT_OK) {
        fprintf(stderr, "%s: %s\n", cmd, err.message);
        code = rc == XT_ERR_LIMIT || rc == XT_ERR_NOMEM ? XT_EXIT_UNKNOWN
               : rc == XT_ERR_INTERNAL ? XT_EXIT_INTERNAL : XT_EXIT_USAGE;
    } else if (rep->undecided > 0) {
        printf("UNDECIDED: %ld solver runs stopped by a limit\n",
               rep->undecided);
        code = XT_EXIT_UNKNOWN;
    } else {
        printf("PASSED\n");
        code = XT_EXIT_OK;
    }
    xt_verify_report_clear(rep);
    return code;
}

/* Runs the action that needs a source file. */
static int run_on_source(const reduce_args *a, const xt_reduction *red,
                         const xt_source_problem *p)
{
    if (!a->source_path) {
        fprintf(stderr, "%s: missing SOURCE file (see %s --help)\n", cmd,
                cmd);
        return XT_EXIT_USAGE;
    }
    if (!red && !a->solve) {
        fprintf(stderr, "%s: \"%s\" is a source problem, not a reduction; "
                "it supports --solve and --generate\n", cmd, a->name);
        return XT_EXIT_USAGE;
    }
    xt_clauses_t src;
    xt_clauses_init(src);
    int rc = load_source(src, p, a->source_path);
    FILE *out = rc == XT_EXIT_OK ? xt_cli_open_output(cmd, a->output
                                                      ? a->output : "-")
                                 : NULL;
    if (rc == XT_EXIT_OK && !out)
        rc = XT_EXIT_USAGE;
    if (rc == XT_EXIT_OK) {
        if (a->solve)
            rc = run_solve(p, src, out);
        else if (a->forward)
            rc = run_forward(red, src, a->forward, out);
        else if (a->backward)
            rc = run_backward(red, src, a->backward, out);
        else
            rc = run_map(red, src, out);
        xt_cli_close_output(out);
    }
    xt_clauses_clear(src);
    return rc;
}

static int dispatch(reduce_args *a, const xt_reduction *red)
{
    const xt_source_problem *p = red ? red->source
                                     : xt_source_find(a->name);
    if (!p) {
        fprintf(stderr, "%s: unknown reduction or source problem \"%s\" "
                "(see %s --list)\n", cmd, a->name, cmd);
        return XT_EXIT_USAGE;
    }
    if (a->verify) {
        if (!red) {
            fprintf(stderr, "%s: --verify needs a reduction, and \"%s\" is "
                    "a source problem\n", cmd, a->name);
            return XT_EXIT_USAGE;
        }
        return run_verify(a, red);
    }
    if (a->generate) {
        FILE *out = xt_cli_open_output(cmd, a->output ? a->output : "-");
        if (!out)
            return XT_EXIT_USAGE;
        int rc = run_generate(a, p, out);
        xt_cli_close_output(out);
        return rc;
    }
    return run_on_source(a, red, p);
}

int xt_cmd_reduce(int argc, char **argv)
{
    /* etr-ami has real certificates and its own options */
    if (xt_cmd_reduce_is_etrami(argc, argv))
        return xt_cmd_reduce_etrami(argc, argv);
    reduce_args a;
    memset(&a, 0, sizeof a);
    xt_verify_options_init(&a.vopt);
    int rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    if (a.list) {
        print_list();
        return XT_EXIT_OK;
    }
    if (!a.name && !a.external) {
        fprintf(stderr, "%s: missing reduction NAME (see %s --list)\n", cmd,
                cmd);
        return XT_EXIT_USAGE;
    }
    if (!a.external)
        return dispatch(&a, xt_reduction_find(a.name));

    xt_reduction *ext;
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_reduction_external(&ext, a.external, &err) != XT_OK) {
        fprintf(stderr, "%s: %s\n", cmd, err.message);
        return XT_EXIT_USAGE;
    }
    a.name = ext->name;
    rc = dispatch(&a, ext);
    xt_reduction_external_free(ext);
    return rc;
}
