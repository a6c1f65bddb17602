/* xtrain export: an instance as a formula or a program for other solvers.
 *
 *   xtrain export INSTANCE --format smt2 [--target G] [--strict]
 *   xtrain export INSTANCE --format lp [--weight-bound B]
 *   xtrain export INSTANCE --format lp --pattern SETS [--signs +-]
 *
 * SMT-LIB 2 (QF_NRA, or QF_LRA when linear) for Z3, cvc5 and others, and
 * CPLEX LP files of the big-M MIP or of one fixed-pattern program.
 * docs/smt.md describes the encodings. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"
#include "xtrain/smt.h"

enum {
    OPT_FORMAT = XT_OPT_FIRST_COMMAND,
    OPT_OUTPUT,
    OPT_STRICT,
    OPT_RELU,
    OPT_WEIGHT_BOUND,
    OPT_PATTERN,
    OPT_SIGNS
};

static const xt_cli_option export_options[] = {
    XT_CLI_COMMON_OPTIONS,
    {"format", 'f', 1, OPT_FORMAT, "NAME    smt2 or lp (default smt2)"},
    {"output", 'o', 1, OPT_OUTPUT, "FILE    write here (default stdout)"},
    {"strict", 0, 0, OPT_STRICT,
     "        smt2: ask for loss < G instead of loss <= G"},
    {"relu", 0, 1, OPT_RELU,
     "NAME    smt2: ReLU as ite (default) or disjunction"},
    {"weight-bound", 0, 1, OPT_WEIGHT_BOUND,
     "B       every weight in [-B, B] (lp MIP default 100; smt2 none)"},
    {"pattern", 0, 1, OPT_PATTERN,
     "SETS    lp: fixed pattern, active points of each neuron, 1-based,\n"
     "                  e.g. \"1,2;3\" (\"-\" for an empty set)"},
    {"signs", 0, 1, OPT_SIGNS,
     "SIGNS   lp with --pattern: output weight signs, e.g. +- (default +)"},
    XT_CLI_SETTINGS_OPTIONS,
    {NULL, 0, 0, 0, NULL}
};

static const char export_usage[] =
    "xtrain export INSTANCE [--format smt2|lp] [-o FILE] [--target G]\n"
    "       [--strict] [--relu ite|disjunction] [--weight-bound B]\n"
    "       [--pattern SETS [--signs +-]]";

static const char export_description[] =
    "Writes the training problem of INSTANCE for other solvers.  smt2:\n"
    "an SMT-LIB 2 script asking whether some network reaches loss <= G\n"
    "(the target G from the file or --target), for Z3, cvc5 and others.\n"
    "lp: a CPLEX LP file of the big-M MIP with every weight in [-B, B],\n"
    "or with --pattern the LP (QP for l2) of one activation pattern of a\n"
    "ReLU instance.  Exit status: 0 written, 2 bad input.";

typedef struct {
    xt_cli_settings settings;
    const char *instance_path, *output_path, *pattern, *signs;
    int lp, strict, has_bound;
    xt_smt_relu_encoding relu;
    mpq_t bound;
} export_args;

/* Parses the command line; returns -1 to continue, else an exit code. */
static int parse_args(export_args *a, int argc, char **argv)
{
    const char *cmd = "xtrain export";
    xt_cli_parser p;
    int id;

    xt_cli_parser_init(&p, cmd, argc, argv);
    while ((id = xt_cli_next(&p, export_options)) != XT_OPT_END) {
        int handled = xt_cli_settings_option(&a->settings, cmd, id, p.value);
        if (handled < 0 || id == XT_OPT_ERROR)
            return XT_EXIT_USAGE;
        if (handled)
            continue;
        switch (id) {
        case XT_OPT_HELP:
            xt_cli_print_help(export_usage, export_description,
                              export_options);
            return XT_EXIT_OK;
        case XT_OPT_VERBOSE: xt_verbosity++; break;
        case XT_OPT_QUIET: xt_verbosity = 0; break;
        case OPT_FORMAT:
            if (strcmp(p.value, "smt2") && strcmp(p.value, "lp")) {
                fprintf(stderr, "%s: unknown format \"%s\" (expected smt2 "
                        "or lp)\n", cmd, p.value);
                return XT_EXIT_USAGE;
            }
            a->lp = !strcmp(p.value, "lp");
            break;
        case OPT_OUTPUT: a->output_path = p.value; break;
        case OPT_STRICT: a->strict = 1; break;
        case OPT_RELU:
            if (strcmp(p.value, "ite") && strcmp(p.value, "disjunction")) {
                fprintf(stderr, "%s: unknown ReLU encoding \"%s\" (expected "
                        "ite or disjunction)\n", cmd, p.value);
                return XT_EXIT_USAGE;
            }
            a->relu = strcmp(p.value, "ite") ? XT_SMT_RELU_DISJUNCTION
                                             : XT_SMT_RELU_ITE;
            break;
        case OPT_WEIGHT_BOUND:
            if (xt_rat_parse(a->bound, p.value) || mpq_sgn(a->bound) <= 0) {
                fprintf(stderr, "%s: invalid weight bound \"%s\" (expected "
                        "a positive rational)\n", cmd, p.value);
                return XT_EXIT_USAGE;
            }
            a->has_bound = 1;
            break;
        case OPT_PATTERN: a->pattern = p.value; break;
        case OPT_SIGNS: a->signs = p.value; break;
        case XT_OPT_POSITIONAL:
            if (a->instance_path) {
                fprintf(stderr, "%s: unexpected argument \"%s\"\n", cmd,
                        p.value);
                return XT_EXIT_USAGE;
            }
            a->instance_path = p.value;
            break;
        }
    }
    if (!a->instance_path) {
        fprintf(stderr, "%s: missing INSTANCE (see %s --help)\n", cmd, cmd);
        return XT_EXIT_USAGE;
    }
    return -1;
}

/* Parses one set of --pattern ("1,3,4" or "-") into row (n entries). */
static int parse_set(unsigned char *row, const char *text, size_t len,
                     long n)
{
    memset(row, 0, (size_t)(n > 0 ? n : 1));
    if (len == 1 && text[0] == '-')
        return 0;
    for (size_t i = 0; i < len;) {
        char *end;
        long point = strtol(text + i, &end, 10);
        if (end == text + i || point < 1 || point > n)
            return -1;
        row[point - 1] = 1;
        i = (size_t)(end - text);
        if (i < len && text[i] != ',')
            return -1;
        i += i < len;
    }
    return 0;
}

/* Builds the pattern and signs of --pattern and --signs for inst. */
static int parse_pattern(unsigned char ***active, int **sign,
                         const export_args *a, const xt_instance_t inst)
{
    const char *cmd = "xtrain export", *s = a->pattern;
    int k = inst->hidden;

    *active = calloc((size_t)k, sizeof **active);
    *sign = calloc((size_t)k, sizeof **sign);
    if (!*active || !*sign)
        return -1;
    for (int j = 0; j < k; j++) {
        size_t len = strcspn(s, ";");
        (*active)[j] = malloc((size_t)(inst->n > 0 ? inst->n : 1));
        if (!(*active)[j] || parse_set((*active)[j], s, len, inst->n) ||
            (s[len] == '\0' && j + 1 < k) || (s[len] == ';' && j + 1 == k)) {
            fprintf(stderr, "%s: invalid --pattern \"%s\": expected %d sets "
                    "of point numbers 1 to %ld separated by ';'\n", cmd,
                    a->pattern, k, inst->n);
            return -1;
        }
        s += len + (s[len] == ';');
        (*sign)[j] = 1;
        if (a->signs && a->signs[j] == '-')
            (*sign)[j] = -1;
    }
    if (a->signs && (strlen(a->signs) != (size_t)k ||
                     strspn(a->signs, "+-") != (size_t)k)) {
        fprintf(stderr, "%s: invalid --signs \"%s\": expected %d characters "
                "+ or -\n", cmd, a->signs, k);
        return -1;
    }
    return 0;
}

static int write_lp(FILE *f, const export_args *a, const xt_instance_t inst,
                    xt_error_t *err)
{
    unsigned char **active = NULL;
    int *sign = NULL, status = XT_ERR_INPUT;

    if (!a->pattern) {
        mpq_t bound;
        mpq_init(bound);
        mpq_set_ui(bound, 100, 1);
        if (a->has_bound)
            mpq_set(bound, a->bound);
        status = xt_smt_write_mip(f, inst, bound, err);
        mpq_clear(bound);
        return status;
    }
    if (inst->hidden < 1) {
        xt_error_set(err, "number of hidden neurons not set: add \"hidden "
                     "K\" to the instance or pass --hidden K");
    } else if (parse_pattern(&active, &sign, a, inst) == 0) {
        status = xt_smt_write_pattern_lp(f, inst, (const unsigned char *const
                                                   *)active, sign, err);
    } else {
        err->message[0] = '\0';
    }
    for (int j = 0; active && j < inst->hidden; j++)
        free(active[j]);
    free(active);
    free(sign);
    return status;
}

static int write_smt2(FILE *f, const export_args *a,
                      const xt_instance_t inst, xt_error_t *err)
{
    xt_smt_options_t opt;
    xt_algebraic_t target;
    int status;

    if (!inst->has_target) {
        xt_error_set(err, "the SMT-LIB formula needs a target: add "
                     "\"target G\" to the instance or pass --target G");
        return XT_ERR_INPUT;
    }
    xt_smt_options_init(opt);
    opt->relu = a->relu;
    if (a->has_bound) {
        opt->has_weight_bound = 1;
        mpq_set(opt->weight_bound, a->bound);
    }
    xt_algebraic_init(target);
    xt_algebraic_set_q(target, inst->target);
    status = xt_smt_write(f, inst, target, a->strict, opt, err);
    xt_algebraic_clear(target);
    xt_smt_options_clear(opt);
    return status;
}

int xt_cmd_export(int argc, char **argv)
{
    export_args a;
    xt_instance_t inst;
    xt_error_t err;
    FILE *f;
    int rc;

    memset(&a, 0, sizeof a);
    xt_cli_settings_init(&a.settings);
    mpq_init(a.bound);
    a.output_path = "-";
    rc = parse_args(&a, argc, argv);
    xt_instance_init(inst);
    if (rc >= 0)
        goto done;
    rc = xt_cli_load_instance(inst, a.instance_path, &a.settings);
    if (rc == XT_EXIT_OK && (f = xt_cli_open_output("xtrain export",
                                                    a.output_path))) {
        xt_error_clear(&err);
        int status = a.lp ? write_lp(f, &a, inst, &err)
                          : write_smt2(f, &a, inst, &err);
        xt_cli_close_output(f);
        if (status != XT_OK) {
            if (err.message[0])
                fprintf(stderr, "xtrain export: %s: %s\n", a.instance_path,
                        err.message);
            rc = XT_EXIT_USAGE;
        }
    } else if (rc == XT_EXIT_OK) {
        rc = XT_EXIT_USAGE;
    }
done:
    xt_instance_clear(inst);
    mpq_clear(a.bound);
    xt_cli_settings_clear(&a.settings);
    return rc;
}
