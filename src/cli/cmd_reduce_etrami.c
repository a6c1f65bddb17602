/* xtrain reduce etr-ami: the ER-hardness reduction from ETR-AMI to
 * training sparse linear networks (include/xtrain/etrami.h).
 *
 *   xtrain reduce etr-ami SYSTEM -o INSTANCE       the training instance
 *   xtrain reduce etr-ami SYSTEM --solve           Z3 on the system
 *   xtrain reduce etr-ami SYSTEM --train           Z3 on the training
 *                                                  instance, map back
 *   xtrain reduce etr-ami SYSTEM --forward SOL     network of a solution
 *   xtrain reduce etr-ami SYSTEM --backward NET    solution of a network
 *   xtrain reduce etr-ami --generate [...]         random system
 *   xtrain reduce etr-ami --verify [...]           the verifier
 *
 * Solutions and networks may hold (root-obj POLY INDEX) values. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "xtrain/etrami.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

enum {
    OPT_OUTPUT = XT_OPT_FIRST_COMMAND,
    OPT_SOLVE, OPT_TRAIN, OPT_FORWARD, OPT_BACKWARD, OPT_GENERATE,
    OPT_VERIFY, OPT_PLANTED, OPT_ALGEBRAIC, OPT_SIZE, OPT_CONSTRAINTS,
    OPT_SEED, OPT_COUNT, OPT_MIN_SIZE, OPT_MAX_SIZE, OPT_EXHAUSTIVE,
    OPT_TIME_LIMIT, OPT_VARIANTS, OPT_TABLE, OPT_COUNTEREXAMPLE, OPT_DIGITS
};

static const xt_cli_option etrami_options[] = {
    XT_CLI_COMMON_OPTIONS,
    {"output", 'o', 1, OPT_OUTPUT, "FILE    write the result here"},
    {"solve", 0, 0, OPT_SOLVE,
     "        decide SYSTEM with Z3 and print a solution"},
    {"train", 0, 0, OPT_TRAIN,
     "        decide the training instance with Z3, verify the network "
     "and map it back"},
    {"forward", 0, 1, OPT_FORWARD,
     "SOL     map a solution (v lines) to a network"},
    {"backward", 0, 1, OPT_BACKWARD,
     "NET     map a network (text format) to a solution"},
    {"generate", 0, 0, OPT_GENERATE, "        write a random system"},
    {"planted", 0, 0, OPT_PLANTED,
     "        --generate: hide a rational solution"},
    {"algebraic", 0, 0, OPT_ALGEBRAIC,
     "        --generate: force an irrational root"},
    {"size", 0, 1, OPT_SIZE, "N       --generate: variables (default 5)"},
    {"constraints", 0, 1, OPT_CONSTRAINTS,
     "M       --generate: constraints, or extra relations when planted "
     "(default 5)"},
    {"verify", 0, 0, OPT_VERIFY, "        verify the reduction"},
    {"seed", 0, 1, OPT_SEED, "S       random seed (default 1)"},
    {"count", 0, 1, OPT_COUNT, "N       random systems (default 30)"},
    {"min-size", 0, 1, OPT_MIN_SIZE,
     "M       fewest variables of random systems (default 1)"},
    {"max-size", 0, 1, OPT_MAX_SIZE,
     "M       most variables; with --exhaustive also constraints "
     "(default 5)"},
    {"exhaustive", 0, 0, OPT_EXHAUSTIVE,
     "        every system up to --max-size (at most 3)"},
    {"time-limit", 't', 1, OPT_TIME_LIMIT,
     "SEC     per Z3 run (default 60, 0: no limit)"},
    {"variants", 0, 1, OPT_VARIANTS,
     "N       rescaled copies of each Z3 network to map back (default 2)"},
    {"table", 0, 1, OPT_TABLE, "FILE    one CSV row per verified system"},
    {"counterexample", 0, 1, OPT_COUNTEREXAMPLE,
     "FILE    where to write the smallest failing system"},
    {"digits", 0, 1, OPT_DIGITS,
     "N       decimals printed for irrational values (default 20)"},
    {NULL, 0, 0, 0, NULL}
};

static const char etrami_usage[] =
    "xtrain reduce etr-ami SYSTEM [-o INSTANCE]\n"
    "       xtrain reduce etr-ami SYSTEM --solve | --train | --forward SOL "
    "| --backward NET\n"
    "       xtrain reduce etr-ami --generate [--size N] [--constraints M] "
    "[--planted | --algebraic]\n"
    "       xtrain reduce etr-ami --verify [--seed S] [--count N] "
    "[--max-size M] [--exhaustive]\n"
    "                                [--table FILE] [SYSTEM...]";

static const char etrami_description[] =
    "The reduction from ETR-AMI (real solvability of x = 1, x + y = z,\n"
    "x * y = z) to zero-error training of a network with linear hidden\n"
    "units, two outputs and a sparse first layer (docs/er-reduction.md).\n"
    "Solutions and weights are real algebraic numbers, printed as\n"
    "(root-obj POLY INDEX) with decimals.  --verify decides each system\n"
    "and its training instance with Z3, requires the answers to agree,\n"
    "checks every forward network exactly and maps every network Z3\n"
    "returns back.  Exit status: 0 success or YES, 1 a failed check or NO,\n"
    "2 bad input, 3 undecided, 4 internal error.";

static const char cmd[] = "xtrain reduce etr-ami";

typedef struct {
    const char *system, *output, *forward, *backward, *table;
    const char *counterexample;
    const char *extra[64];
    int extra_count, named;
    int solve, train, generate, verify, planted, algebraic;
    long size, constraints, digits;
    xt_etrami_verify_options vopt;
} etrami_args;

/* ------------------------------------------------------ recognizing */

/* Whether word is an option of the table that takes a separate value. */
static int takes_next(const char *word)
{
    for (const xt_cli_option *o = etrami_options; o->name; o++) {
        if (!o->takes_value)
            continue;
        if (word[1] == '-' && !strcmp(word + 2, o->name))
            return 1;
        if (word[1] != '-' && o->short_name &&
            word[strlen(word) - 1] == o->short_name)
            return 1;
    }
    return 0;
}

int xt_cmd_reduce_is_etrami(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *word = argv[i];
        if (!strcmp(word, "--"))
            return i + 1 < argc && !strcmp(argv[i + 1], "etr-ami");
        if (word[0] != '-' || !strcmp(word, "-"))
            return !strcmp(word, "etr-ami");
        if (!strchr(word, '=') && takes_next(word))
            i++;
    }
    return 0;
}

/* ---------------------------------------------------------- options */

static int set_count(etrami_args *a, int id, const char *value)
{
    static const struct { int id; const char *name; long max; } table[] = {
        {OPT_SIZE, "size", 10000}, {OPT_CONSTRAINTS, "constraints", 100000},
        {OPT_COUNT, "count", 1000000000L}, {OPT_MIN_SIZE, "min-size", 1000},
        {OPT_MAX_SIZE, "max-size", 1000}, {OPT_VARIANTS, "variants", 100},
        {OPT_DIGITS, "digits", 10000},
    };
    for (size_t t = 0; t < sizeof table / sizeof *table; t++) {
        if (table[t].id != id)
            continue;
        long v = xt_cli_parse_count(cmd, table[t].name, value, table[t].max);
        if (v < 0)
            return -1;
        switch (id) {
        case OPT_SIZE: a->size = v; break;
        case OPT_CONSTRAINTS: a->constraints = v; break;
        case OPT_COUNT: a->vopt.count = v; break;
        case OPT_MIN_SIZE: a->vopt.min_size = (int)v; break;
        case OPT_MAX_SIZE: a->vopt.max_size = (int)v; break;
        case OPT_VARIANTS: a->vopt.variants = (int)v; break;
        default: a->digits = v; break;
        }
        return 1;
    }
    return 0;
}

static int set_seed(etrami_args *a, const char *value)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 10);
    if (!*value || *end || errno || value[0] == '-') {
        fprintf(stderr, "%s: invalid seed \"%s\" (expected a nonnegative "
                "integer)\n", cmd, value);
        return -1;
    }
    a->vopt.seed = (uint64_t)v;
    return 0;
}

static int positional(etrami_args *a, const char *value)
{
    if (!a->named) {
        a->named = 1;   /* the word "etr-ami" itself */
    } else if (!a->system) {
        a->system = value;
    } else if (a->extra_count < 64) {
        a->extra[a->extra_count++] = value;
    } else {
        fprintf(stderr, "%s: too many arguments\n", cmd);
        return -1;
    }
    return 0;
}

/* Handles an option without a count; returns -1 on an invalid value. */
static int set_option(etrami_args *a, int id, const char *value)
{
    switch (id) {
    case XT_OPT_VERBOSE: xt_verbosity++; break;
    case XT_OPT_QUIET: xt_verbosity = 0; break;
    case OPT_OUTPUT: a->output = value; break;
    case OPT_SOLVE: a->solve = 1; break;
    case OPT_TRAIN: a->train = 1; break;
    case OPT_FORWARD: a->forward = value; break;
    case OPT_BACKWARD: a->backward = value; break;
    case OPT_GENERATE: a->generate = 1; break;
    case OPT_VERIFY: a->verify = 1; break;
    case OPT_PLANTED: a->planted = 1; break;
    case OPT_ALGEBRAIC: a->algebraic = 1; break;
    case OPT_EXHAUSTIVE: a->vopt.exhaustive = 1; break;
    case OPT_TABLE: a->table = value; break;
    case OPT_COUNTEREXAMPLE: a->counterexample = value; break;
    case OPT_SEED: return set_seed(a, value);
    case OPT_TIME_LIMIT:
        a->vopt.time_limit = xt_cli_parse_seconds(cmd, "time-limit", value);
        return a->vopt.time_limit < 0 ? -1 : 0;
    case XT_OPT_POSITIONAL: return positional(a, value);
    default: break;
    }
    return 0;
}

/* Parses the command line; returns -1 to continue, else an exit code. */
static int parse_args(etrami_args *a, int argc, char **argv)
{
    xt_cli_parser p;
    int id;

    xt_cli_parser_init(&p, cmd, argc, argv);
    while ((id = xt_cli_next(&p, etrami_options)) != XT_OPT_END) {
        int counted = set_count(a, id, p.value);
        if (counted < 0 || id == XT_OPT_ERROR)
            return XT_EXIT_USAGE;
        if (counted)
            continue;
        if (id == XT_OPT_HELP) {
            xt_cli_print_help(etrami_usage, etrami_description,
                              etrami_options);
            return XT_EXIT_OK;
        }
        if (set_option(a, id, p.value) < 0)
            return XT_EXIT_USAGE;
    }
    if (a->solve + a->train + !!a->forward + !!a->backward + a->generate +
        a->verify > 1) {
        fprintf(stderr, "%s: choose one of --solve, --train, --forward, "
                "--backward, --generate and --verify\n", cmd);
        return XT_EXIT_USAGE;
    }
    return -1;
}

/* ------------------------------------------------------------ actions */

static int load_system(xt_etrami_t sys, const char *path)
{
    xt_error_t err;

    xt_error_clear(&err);
    if (!path) {
        fprintf(stderr, "%s: missing SYSTEM file (see %s --help)\n", cmd,
                cmd);
        return XT_EXIT_USAGE;
    }
    if (xt_etrami_read_file(sys, path, &err) != XT_OK) {
        fprintf(stderr, "%s: %s\n", cmd, err.message);
        return XT_EXIT_USAGE;
    }
    return XT_EXIT_OK;
}

/* Maps err's status to an exit code after printing it. */
static int fail_with(int status, const xt_error_t *err)
{
    fprintf(stderr, "%s: %s\n", cmd, err->message);
    if (status == XT_ERR_INTERNAL)
        return XT_EXIT_INTERNAL;
    return status == XT_ERR_LIMIT || status == XT_ERR_NOMEM ? XT_EXIT_UNKNOWN
                                                            : XT_EXIT_USAGE;
}

static int run_map(const xt_etrami_t sys, FILE *out)
{
    xt_instance_t inst;
    xt_error_t err;
    int status, rc = XT_EXIT_OK;

    xt_instance_init(inst);
    status = xt_etrami_map(inst, sys, &err);
    if (status != XT_OK)
        rc = fail_with(status, &err);
    else
        xt_instance_write(out, inst);
    xt_instance_clear(inst);
    return rc;
}

static int run_solve(const etrami_args *a, const xt_etrami_t sys, FILE *out)
{
    xt_etrami_solution_t sol;
    xt_etrami_status st;
    xt_error_t err;
    double start = xt_seconds();
    int status, rc;

    xt_etrami_solution_init(sol);
    status = xt_etrami_solve(&st, sol, sys, a->vopt.time_limit, &err);
    if (status != XT_OK) {
        xt_etrami_solution_clear(sol);
        return fail_with(status, &err);
    }
    fprintf(out, "c etr-ami: %d variables, %d constraints, decided by Z3 "
            "in %.3f s\n", sys->nvars, sys->count, xt_seconds() - start);
    if (st == XT_ETRAMI_SAT) {
        fprintf(out, "c the solution satisfies every constraint (checked "
                "with exact algebraic arithmetic)\ns SATISFIABLE\n");
        xt_etrami_solution_write(out, sol, (int)a->digits);
        rc = XT_EXIT_OK;
    } else if (st == XT_ETRAMI_UNSAT) {
        fprintf(out, "s UNSATISFIABLE\n");
        rc = XT_EXIT_NO;
    } else {
        fprintf(out, "s UNKNOWN\n");
        rc = XT_EXIT_UNKNOWN;
    }
    xt_etrami_solution_clear(sol);
    return rc;
}

static int run_forward(const etrami_args *a, const xt_etrami_t sys,
                       FILE *out)
{
    xt_etrami_solution_t sol;
    xt_algebraic_network_t net;
    xt_error_t err;
    int status, holds = 0, failed = -1, rc = XT_EXIT_OK;

    xt_etrami_solution_init(sol);
    xt_algebraic_network_init(net);
    status = xt_etrami_solution_read_file(sol, sys->nvars, a->forward,
                                          &err);
    if (status == XT_OK)
        status = xt_etrami_check(&holds, &failed, sys, sol, &err);
    if (status != XT_OK) {
        rc = fail_with(status, &err);
    } else if (!holds) {
        fprintf(stderr, "%s: %s is not a solution: constraint %d fails\n",
                cmd, a->forward, failed + 1);
        rc = XT_EXIT_NO;
    } else if ((status = xt_etrami_forward(net, sys, sol, &err)) != XT_OK) {
        rc = fail_with(status, &err);
    } else {
        xt_algebraic_network_write(out, net);
    }
    xt_algebraic_network_clear(net);
    xt_etrami_solution_clear(sol);
    return rc;
}

/* Checks that net has zero error on the system's instance and fits its
 * architecture; prints why not.  Returns an exit code. */
static int check_network(const xt_algebraic_network_t net,
                         const xt_instance_t inst, const char *what)
{
    xt_algebraic_loss_t loss;
    xt_algebraic_t zero;
    xt_error_t err;
    int status, rc = XT_EXIT_OK;

    xt_algebraic_loss_init(loss);
    xt_algebraic_init(zero);
    status = xt_etrami_network_conforms(net, inst, &err);
    if (status != XT_OK) {
        fprintf(stderr, "%s: %s does not fit the training instance: %s\n",
                cmd, what, err.message);
        rc = XT_EXIT_NO;
    } else if ((status = xt_algebraic_network_loss(
                    loss, net, inst, XT_LOSS_L2, zero, 0, &err)) != XT_OK) {
        rc = fail_with(status, &err);
    } else if (!loss->meets_target) {
        fprintf(stderr, "%s: %s does not have zero error, so the backward "
                "map promises nothing\n", cmd, what);
        rc = XT_EXIT_NO;
    }
    xt_algebraic_clear(zero);
    xt_algebraic_loss_clear(loss);
    return rc;
}

/* Maps net back, checks the solution and prints it. */
static int map_back(const etrami_args *a, const xt_etrami_t sys,
                    const xt_algebraic_network_t net, FILE *out)
{
    xt_etrami_solution_t sol;
    xt_error_t err;
    int status, holds = 0, failed = -1, rc;

    xt_etrami_solution_init(sol);
    status = xt_etrami_backward(sol, sys, net, &err);
    if (status == XT_OK)
        status = xt_etrami_check(&holds, &failed, sys, sol, &err);
    if (status != XT_OK) {
        rc = fail_with(status, &err);
    } else {
        fputs("c backward map: x_v is the R-entry of the column of input "
              "u_v (input 4 + v) in B A\n", out);
        fprintf(out, "c %s\n", holds ? "the solution satisfies every "
                "constraint (checked with exact algebraic arithmetic)"
                : "NOT a solution: a constraint fails");
        if (!holds)
            fprintf(out, "c constraint %d fails\n", failed + 1);
        fprintf(out, "s %s\n", holds ? "SATISFIABLE" : "UNKNOWN");
        xt_etrami_solution_write(out, sol, (int)a->digits);
        rc = holds ? XT_EXIT_OK : XT_EXIT_NO;
    }
    xt_etrami_solution_clear(sol);
    return rc;
}

static int run_backward(const etrami_args *a, const xt_etrami_t sys,
                        FILE *out)
{
    xt_algebraic_network_t net;
    xt_instance_t inst;
    xt_error_t err;
    int status, rc;

    xt_algebraic_network_init(net);
    xt_instance_init(inst);
    status = xt_algebraic_network_read_file(net, a->backward, &err);
    if (status == XT_OK)
        status = xt_etrami_map(inst, sys, &err);
    rc = status == XT_OK ? check_network(net, inst, a->backward)
                         : fail_with(status, &err);
    if (rc == XT_EXIT_OK)
        rc = map_back(a, sys, net, out);
    xt_instance_clear(inst);
    xt_algebraic_network_clear(net);
    return rc;
}

/* Prints one weight when it is irrational: "#   NAME: ROOT-OBJ = DECIMALS". */
static void print_if_irrational(FILE *out, const xt_algebraic_struct *w,
                                const char *name, int digits)
{
    if (w->degree == 0)
        return;
    fprintf(out, "#   %s: ", name);
    xt_algebraic_print(out, w);
    fputs(" = ", out);
    xt_algebraic_print_decimal(out, w, digits);
    fputc('\n', out);
}

/* Prints every irrational weight of net with its place and decimals. */
static void print_irrational(FILE *out, const xt_algebraic_network_t net,
                             int digits)
{
    char name[64];

    for (int j = 0; j < net->k; j++) {
        for (int t = 0; t < net->d; t++) {
            snprintf(name, sizeof name, "neuron %d, input %d", j + 1, t + 1);
            print_if_irrational(out, &net->w[(long)j * net->d + t], name,
                                digits);
        }
        snprintf(name, sizeof name, "neuron %d, bias", j + 1);
        print_if_irrational(out, &net->b[j], name, digits);
        for (int o = 0; o < net->m; o++) {
            snprintf(name, sizeof name, "neuron %d, output %c", j + 1,
                     o ? 'S' : 'R');
            print_if_irrational(out, &net->a[o * net->k + j], name, digits);
        }
    }
    for (int o = 0; o < net->m && net->has_output_bias; o++) {
        snprintf(name, sizeof name, "output bias %c", o ? 'S' : 'R');
        print_if_irrational(out, &net->c[o], name, digits);
    }
}

/* Prints the decided network, verified, then maps it back. */
static int report_network(const etrami_args *a, const xt_etrami_t sys,
                          const xt_instance_t inst,
                          const xt_smt_answer_t ans, FILE *out)
{
    int rc = check_network(ans->network, inst, "Z3's network");

    if (rc != XT_EXIT_OK)
        return XT_EXIT_INTERNAL;
    fprintf(out, "# zero-error network found by Z3 in %.3f s; its loss is "
            "exactly 0 (MPFR intervals and Z3's algebraic numbers)\n",
            ans->seconds);
    fprintf(out, "# %ld irrational weights:\n",
            xt_algebraic_network_irrational(ans->network));
    print_irrational(out, ans->network, (int)a->digits);
    xt_algebraic_network_write(out, ans->network);
    return map_back(a, sys, ans->network, out);
}

static int run_train(const etrami_args *a, const xt_etrami_t sys, FILE *out)
{
    xt_instance_t inst;
    xt_smt_answer_t ans;
    xt_smt_options_t opt;
    xt_algebraic_t zero;
    xt_error_t err;
    int status, rc = XT_EXIT_OK;

    xt_instance_init(inst);
    xt_smt_answer_init(ans);
    xt_smt_options_init(opt);
    xt_algebraic_init(zero);
    status = xt_etrami_map(inst, sys, &err);
    if (status == XT_OK)
        status = xt_smt_decide(ans, inst, zero, 0, opt, a->vopt.time_limit,
                               &err);
    if (status != XT_OK) {
        rc = fail_with(status, &err);
    } else {
        fprintf(out, "# training instance: %ld points, %d inputs, %d linear "
                "hidden neurons with an architecture, 2 outputs, target "
                "0\n", inst->n, inst->d, inst->hidden);
        if (ans->status == XT_SMT_SAT) {
            rc = report_network(a, sys, inst, ans, out);
        } else if (ans->status == XT_SMT_UNSAT) {
            fprintf(out, "# Z3 proves that no network has zero error (%.3f "
                    "s), so the system has no real solution\ns "
                    "UNSATISFIABLE\n", ans->seconds);
            rc = XT_EXIT_NO;
        } else {
            fprintf(out, "# Z3 gave no answer (%s)\ns UNKNOWN\n",
                    ans->reason);
            rc = XT_EXIT_UNKNOWN;
        }
    }
    xt_algebraic_clear(zero);
    xt_smt_options_clear(opt);
    xt_smt_answer_clear(ans);
    xt_instance_clear(inst);
    return rc;
}

static int run_generate(const etrami_args *a, FILE *out)
{
    xt_etrami_t sys;
    xt_etrami_solution_t planted;
    xt_error_t err;
    uint64_t rng = a->vopt.seed;
    xt_etrami_plant plant = a->algebraic ? XT_ETRAMI_PLANTED_ALGEBRAIC
                            : a->planted ? XT_ETRAMI_PLANTED_RATIONAL
                                         : XT_ETRAMI_UNIFORM;
    int size = a->size > 0 ? (int)a->size : 5, status;

    xt_etrami_init(sys);
    xt_etrami_solution_init(planted);
    status = xt_etrami_random(sys, planted, &rng, size,
                              (int)a->constraints, plant, &err);
    if (status == XT_OK) {
        fprintf(out, "c etr-ami system, seed %llu, %d variables%s\n",
                (unsigned long long)a->vopt.seed, size,
                plant == XT_ETRAMI_UNIFORM ? ""
                : plant == XT_ETRAMI_PLANTED_RATIONAL
                    ? ", planted rational solution:"
                    : ", planted algebraic solution:");
        for (int v = 0; v < planted->n; v++) {
            fprintf(out, "c   x%d = ", v);
            xt_algebraic_print(out, &planted->value[v]);
            fputc('\n', out);
        }
        xt_etrami_write(out, sys);
    }
    xt_etrami_solution_clear(planted);
    xt_etrami_clear(sys);
    return status == XT_OK ? XT_EXIT_OK : fail_with(status, &err);
}

/* ----------------------------------------------------------- verifier */

static void write_row(void *data, const xt_etrami_row *row)
{
    static const char *const plants[] = {"uniform", "rational",
                                         "algebraic"};
    static const char *const answers[] = {"yes", "no", "unknown"};
    FILE *table = data;

    fprintf(table, "%ld,%s,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%s,"
            "%.6f,%s,%.6f,%d,%s,%ld\n", row->index, plants[row->plant],
            row->sizes[0], row->sizes[1], row->sizes[2], row->sizes[3],
            row->sizes[4], row->points, row->formula_points, row->inputs,
            row->formula_inputs, row->hidden, row->formula_hidden,
            answers[row->source], row->source_seconds,
            answers[row->training], row->training_seconds, row->irrational,
            row->source == row->training && row->source != XT_ETRAMI_UNKNOWN
                ? "yes" : "no", row->failures);
    fflush(table);
}

static void print_summary(const xt_etrami_report_t rep)
{
    printf("reduction          etr-ami -> sparse linear network\n");
    printf("systems            %ld (YES %ld, NO %ld, undecided %ld)\n",
           rep->systems, rep->yes, rep->no, rep->undecided);
    printf("agreements         %ld of %ld\n", rep->agreements,
           rep->systems);
    printf("planted solutions  %ld\n", rep->planted);
    printf("irrational         %ld YES systems with irrational Z3 "
           "solutions\n", rep->irrational_solutions);
    printf("source checks      %ld\n", rep->source_checks);
    printf("forward checks     %ld (round trips %ld)\n",
           rep->forward_checks, rep->round_trips);
    printf("backward checks    %ld\n", rep->backward_checks);
    printf("size checks        %ld\n", rep->size_checks);
    printf("failed checks      %ld in %ld systems\n", rep->failures,
           rep->failed_systems);
    printf("time               %.2f s (Z3 on systems %.2f s, on training "
           "instances %.2f s)\n", rep->seconds, rep->source_seconds,
           rep->training_seconds);
}

static void report_failure(const etrami_args *a, const xt_etrami_report_t rep)
{
    const char *path = a->counterexample ? a->counterexample
                                         : "etr-ami-counterexample.txt";
    FILE *f;

    printf("FAILED: %s\n", rep->failure_message);
    if (rep->failure_index >= 0 && !a->vopt.exhaustive)
        printf("seed %llu, random system %ld (replay: --seed %llu --count "
               "%ld)\n", (unsigned long long)a->vopt.seed,
               rep->failure_index, (unsigned long long)a->vopt.seed,
               rep->failure_index + 1);
    printf("smallest failing system:\n");
    xt_etrami_write(stdout, rep->failure);
    f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "%s: cannot write %s: %s\n", cmd, path,
                strerror(errno));
        return;
    }
    fprintf(f, "c counterexample for the reduction etr-ami\nc %s\n",
            rep->failure_message);
    xt_etrami_write(f, rep->failure);
    fclose(f);
    printf("written to %s\n", path);
}

/* Verifies the reduction on the given system files. */
static int verify_files(const etrami_args *a, xt_etrami_report_t rep,
                        xt_error_t *err)
{
    xt_etrami_t sys;
    double start = xt_seconds();
    int status = XT_OK;

    xt_etrami_init(sys);
    for (int f = -1; f < a->extra_count && status == XT_OK; f++) {
        const char *path = f < 0 ? a->system : a->extra[f];
        status = xt_etrami_read_file(sys, path, err);
        if (status == XT_OK)
            status = xt_etrami_verify_system(rep, sys, NULL,
                                             XT_ETRAMI_UNIFORM, f + 1,
                                             &a->vopt, err);
    }
    rep->seconds = xt_seconds() - start;
    xt_etrami_clear(sys);
    return status;
}

static int run_verify(etrami_args *a)
{
    xt_etrami_report_t rep;
    xt_error_t err;
    FILE *table = NULL;
    int status, rc;

    if (a->table) {
        table = xt_cli_open_output(cmd, a->table);
        if (!table)
            return XT_EXIT_USAGE;
        fprintf(table, "index,plant,vars,ones,adds,muls,copies,points,"
                "formula_points,inputs,formula_inputs,hidden,"
                "formula_hidden,source,source_seconds,training,"
                "training_seconds,irrational,agree,failures\n");
        a->vopt.on_system = write_row;
        a->vopt.data = table;
    }
    xt_etrami_report_init(rep);
    xt_error_clear(&err);
    status = a->system ? verify_files(a, rep, &err)
                       : xt_etrami_verify(rep, &a->vopt, &err);
    if (table)
        xt_cli_close_output(table);
    print_summary(rep);
    if (rep->failures > 0) {
        report_failure(a, rep);
        rc = XT_EXIT_NO;
    } else if (status != XT_OK) {
        rc = fail_with(status, &err);
    } else if (rep->undecided > 0) {
        printf("UNDECIDED: %ld systems not decided on both sides\n",
               rep->undecided);
        rc = XT_EXIT_UNKNOWN;
    } else {
        printf("PASSED\n");
        rc = XT_EXIT_OK;
    }
    xt_etrami_report_clear(rep);
    return rc;
}

/* Runs the action that needs a system file. */
static int run_on_system(const etrami_args *a)
{
    xt_etrami_t sys;
    FILE *out;
    int rc;

    xt_etrami_init(sys);
    rc = load_system(sys, a->system);
    out = rc == XT_EXIT_OK ? xt_cli_open_output(cmd, a->output ? a->output
                                                               : "-")
                           : NULL;
    if (rc == XT_EXIT_OK && !out)
        rc = XT_EXIT_USAGE;
    if (rc == XT_EXIT_OK) {
        if (a->solve)
            rc = run_solve(a, sys, out);
        else if (a->train)
            rc = run_train(a, sys, out);
        else if (a->forward)
            rc = run_forward(a, sys, out);
        else if (a->backward)
            rc = run_backward(a, sys, out);
        else
            rc = run_map(sys, out);
        xt_cli_close_output(out);
    }
    xt_etrami_clear(sys);
    return rc;
}

int xt_cmd_reduce_etrami(int argc, char **argv)
{
    etrami_args a;
    FILE *out;
    int rc;

    memset(&a, 0, sizeof a);
    xt_etrami_verify_options_init(&a.vopt);
    a.constraints = 5;
    a.digits = 20;
    rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    if (a.verify)
        return run_verify(&a);
    if (!a.generate)
        return run_on_system(&a);
    out = xt_cli_open_output(cmd, a.output ? a.output : "-");
    if (!out)
        return XT_EXIT_USAGE;
    rc = run_generate(&a, out);
    xt_cli_close_output(out);
    return rc;
}
