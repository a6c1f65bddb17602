/* xtrain gen: reproducible instances with planted answers (see
 * docs/generators.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "xtrain/gen.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

enum {
    OPT_SEED = XT_OPT_FIRST_COMMAND,
    OPT_OUTPUT, OPT_ANSWER, OPT_CERTIFICATE,
    OPT_DIM, OPT_TEACHER, OPT_POINTS, OPT_SIGNS, OPT_WEIGHT_HEIGHT,
    OPT_COORD_BOUND, OPT_RATIONAL, OPT_NOISE, OPT_NOISE_AMOUNTS,
    OPT_VARIANT, OPT_FLATS, OPT_EXPONENT, OPT_LEVEES, OPT_DIRECTIONS,
    OPT_PLAIN, OPT_TRIES, OPT_RESTARTS, OPT_EPOCHS, OPT_MIN_FAILURE,
    OPT_TIME_LIMIT, OPT_CSV, OPT_COLUMNS, OPT_LABEL_COLUMN, OPT_ROWS,
    OPT_BINARY_LABEL, OPT_REDUCTION, OPT_SOURCE, OPT_SOURCE_SIZE,
    OPT_CLAUSES, OPT_RIGIDITY,
    OPT_PLANTED
};

static const xt_cli_option gen_options[] = {
    XT_CLI_COMMON_OPTIONS,
    {"seed", 's', 1, OPT_SEED, "S       random seed (default 1)"},
    {"output", 'o', 1, OPT_OUTPUT, "FILE    instance file (default stdout)"},
    {"answer", 'a', 1, OPT_ANSWER, "FILE    write the planted network"},
    {"certificate", 'c', 1, OPT_CERTIFICATE,
     "FILE    write a certificate that the answer meets target 0"},
    {"dim", 'd', 1, OPT_DIM, "D       inputs per point"},
    {"teacher", 0, 1, OPT_TEACHER, "K       neurons of the teacher network"},
    {"points", 'n', 1, OPT_POINTS, "N       data points"},
    {"hidden", 'k', 1, XT_OPT_HIDDEN,
     "K       hidden neurons written in the instance (default: teacher's)"},
    {"activation", 0, 1, XT_OPT_ACTIVATION,
     "NAME    relu, threshold or linear (teacher and instance)"},
    {"loss", 0, 1, XT_OPT_LOSS, "NAME    l1, l2, linf or zero-one"},
    {"convex", 0, 0, XT_OPT_CONVEX, "        teacher output weights all +1"},
    {"signs", 0, 1, OPT_SIGNS, "PATTERN output weight signs, e.g. +-+"},
    {"output-bias", 0, 0, XT_OPT_OUTPUT_BIAS,
     "        teacher and instance have an output bias"},
    {"weight-height", 0, 1, OPT_WEIGHT_HEIGHT,
     "H       weights p/q with |p|, q <= H (default 3)"},
    {"coord-bound", 0, 1, OPT_COORD_BOUND,
     "R       coordinates in [-R, R], or of height R (default 5)"},
    {"rational", 0, 0, OPT_RATIONAL,
     "        rational coordinates p/q instead of integers"},
    {"noise", 0, 1, OPT_NOISE, "C       move C labels at random points"},
    {"noise-amounts", 0, 1, OPT_NOISE_AMOUNTS,
     "LIST    amounts, e.g. 1,-1/2 (used in turn; default 1)"},
    {"no-target", 0, 0, XT_OPT_NO_TARGET,
     "        no target 0, even when the answer fits exactly"},
    {"target", 0, 1, XT_OPT_TARGET,
     "G       write loss target G (a decision instance)"},
    {"variant", 0, 1, OPT_VARIANT, "NAME    variant of the kind (see below)"},
    {"placement", 0, 1, OPT_VARIANT, "NAME    levee: the same as --variant"},
    {"labels", 0, 1, OPT_VARIANT, "NAME    moment: the same as --variant"},
    {"flats", 0, 1, OPT_FLATS, "F       degenerate: lines or planes (2)"},
    {"exponent", 0, 1, OPT_EXPONENT,
     "E       degenerate scale: factors 10^-E and 10^E (20)"},
    {"levees", 0, 1, OPT_LEVEES, "L       levee: number of levees (2)"},
    {"directions", 0, 1, OPT_DIRECTIONS,
     "MODE    levee: random, parallel, near-parallel or crossing"},
    {"plain", 0, 0, OPT_PLAIN,
     "        sgd-trap hat and xor at their textbook positions"},
    {"tries", 0, 1, OPT_TRIES, "T       sgd-trap search: candidates (50)"},
    {"restarts", 0, 1, OPT_RESTARTS,
     "R       sgd-trap search: SGD restarts (20)"},
    {"epochs", 0, 1, OPT_EPOCHS, "E       sgd-trap search: epochs (2000)"},
    {"min-failure", 0, 1, OPT_MIN_FAILURE,
     "F       sgd-trap search: failing fraction wanted (0.5)"},
    {"time-limit", 't', 1, OPT_TIME_LIMIT,
     "SEC     sgd-trap search: seconds per exact solve (60)"},
    {"csv", 0, 1, OPT_CSV, "FILE    slice: the CSV file"},
    {"columns", 0, 1, OPT_COLUMNS, "LIST    slice: input columns, e.g. 3,4"},
    {"label-column", 0, 1, OPT_LABEL_COLUMN,
     "C       slice: label column (default last)"},
    {"rows", 0, 1, OPT_ROWS,
     "LIST    slice: data rows, e.g. 1-3,60 (default --points at random)"},
    {"binary-label", 0, 1, OPT_BINARY_LABEL,
     "V       slice: label 1 where it equals V, else 0"},
    {"reduction", 0, 1, OPT_REDUCTION, "NAME    reduction: its name"},
    {"source", 0, 1, OPT_SOURCE,
     "FILE    reduction: source instance (default: random)"},
    {"source-size", 0, 1, OPT_SOURCE_SIZE,
     "N       reduction: variables of the random source (3)"},
    {"planted", 0, 0, OPT_PLANTED,
     "        reduction: random source with a planted solution"},
    {"clauses", 0, 1, OPT_CLAUSES,
     "M       planar-1in3: clauses of the random formula (3)"},
    {"rigidity", 0, 1, OPT_RIGIDITY,
     "FILE    planar-1in3: write the rigidity certificate"},
    {NULL, 0, 0, 0, NULL}
};

static const char gen_usage[] =
    "xtrain gen KIND [OPTIONS] [--seed S] [-o FILE] [--answer FILE]\n"
    "       [--certificate FILE]";

static const char gen_description[] =
    "Writes a reproducible instance: the same kind, options and seed give\n"
    "the same file.  The file starts with comments that record the command\n"
    "line and what was planted.  KIND is one of\n"
    "  planted     random teacher network on random points\n"
    "  degenerate  --variant lines, planes, repeated, breaklines, scale or\n"
    "              mixed (default)\n"
    "  levee       planar ridges of three ReLUs each; --placement ridge,\n"
    "              slope, zero, pinned or mixed (default)\n"
    "  moment      points on the moment curve; --labels alternating\n"
    "              (default), random or teacher\n"
    "  sgd-trap    --variant hat (default), xor or search\n"
    "  slice       rows and columns of a CSV file\n"
    "  reduction   a source instance mapped through --reduction NAME\n"
    "  planar-1in3 a random 1-in-3 SAT formula (--clauses M) through\n"
    "              the planar levee reduction\n"
    "Exit status: 0 written, 2 bad options or input, 3 the sgd-trap\n"
    "search found nothing (or was interrupted).";

typedef struct {
    xt_gen_kind kind;
    int has_kind;
    xt_gen_options opt;
    const char *output, *answer, *certificate;
} gen_args;

static int parse_long(long *out, const char *option, const char *value,
                      long max)
{
    long v = xt_cli_parse_count("xtrain gen", option, value, max);
    if (v < 0)
        return -1;
    *out = v;
    return 0;
}

static int parse_int(int *out, const char *option, const char *value,
                     long max)
{
    long v;
    if (parse_long(&v, option, value, max))
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_seed(uint64_t *out, const char *value)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 10);
    if (!*value || *end || errno || value[0] == '-') {
        fprintf(stderr, "xtrain gen: invalid seed \"%s\" (expected an "
                "integer from 0 to 2^64 - 1)\n", value);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

static int parse_fraction(double *out, const char *value)
{
    char *end;
    double v = strtod(value, &end);
    if (!*value || *end || !(v > 0 && v <= 1)) {
        fprintf(stderr, "xtrain gen: invalid --min-failure \"%s\" "
                "(expected a number in (0, 1])\n", value);
        return -1;
    }
    *out = v;
    return 0;
}

/* Parses a comma-separated list of rationals into the noise amounts. */
static int parse_amounts(xt_gen_options *opt, const char *value)
{
    char buf[256];
    const char *p = value;
    opt->noise_amount_count = 0;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len >= sizeof buf ||
            opt->noise_amount_count == XT_GEN_MAX_NOISE_AMOUNTS)
            break;
        memcpy(buf, p, len);
        buf[len] = '\0';
        if (xt_rat_parse(opt->noise_amounts[opt->noise_amount_count], buf))
            break;
        opt->noise_amount_count++;
        p += len;
        if (*p == ',' && p[1])
            p++;
        else if (*p == ',')
            break;
    }
    if (*p || opt->noise_amount_count == 0) {
        fprintf(stderr, "xtrain gen: invalid --noise-amounts \"%s\" "
                "(expected up to %d rationals separated by commas, e.g. "
                "1,-1/2)\n", value, XT_GEN_MAX_NOISE_AMOUNTS);
        return -1;
    }
    return 0;
}

/* Handles the options that set the teacher, the points and the instance
 * settings.  Returns 1 when handled, 0 when not, -1 on an error. */
static int teacher_option(xt_gen_options *opt, int id, const char *v)
{
    switch (id) {
    case OPT_DIM: return parse_int(&opt->d, "dim", v, XT_MAX_DIM) ? -1 : 1;
    case OPT_TEACHER:
        return parse_int(&opt->k, "teacher", v, XT_MAX_HIDDEN) ? -1 : 1;
    case OPT_POINTS:
        return parse_long(&opt->n, "points", v, XT_GEN_MAX_POINTS) ? -1 : 1;
    case XT_OPT_HIDDEN:
        return parse_int(&opt->hidden, "hidden", v, XT_MAX_HIDDEN) ? -1 : 1;
    case XT_OPT_ACTIVATION:
        if (xt_activation_parse(&opt->activation, v) == 0)
            return 1;
        fprintf(stderr, "xtrain gen: unknown activation \"%s\" (expected "
                "relu, threshold or linear)\n", v);
        return -1;
    case XT_OPT_LOSS:
        if (xt_loss_parse(&opt->loss, v) == 0)
            return 1;
        fprintf(stderr, "xtrain gen: unknown loss \"%s\" (expected l1, l2, "
                "linf or zero-one)\n", v);
        return -1;
    case XT_OPT_CONVEX: opt->convex = 1; return 1;
    case OPT_SIGNS: opt->signs = v; return 1;
    case XT_OPT_OUTPUT_BIAS: opt->output_bias = 1; return 1;
    case OPT_WEIGHT_HEIGHT:
        return parse_long(&opt->weight_height, "weight-height", v,
                          XT_GEN_MAX_HEIGHT) ? -1 : 1;
    case OPT_COORD_BOUND:
        return parse_long(&opt->coord_bound, "coord-bound", v,
                          XT_GEN_MAX_HEIGHT) ? -1 : 1;
    case OPT_RATIONAL: opt->grid = 0; return 1;
    case OPT_NOISE:
        return parse_long(&opt->noise, "noise", v, XT_GEN_MAX_POINTS) ? -1
                                                                      : 1;
    case OPT_NOISE_AMOUNTS: return parse_amounts(opt, v) ? -1 : 1;
    case XT_OPT_NO_TARGET: opt->no_target = 1; return 1;
    case XT_OPT_TARGET:
        opt->has_target = 1;
        if (xt_rat_parse(opt->target, v) == 0 && mpq_sgn(opt->target) >= 0)
            return 1;
        fprintf(stderr, "xtrain gen: invalid target \"%s\" (expected a "
                "rational >= 0)\n", v);
        return -1;
    }
    return 0;
}

/* Handles the options of single kinds.  Same returns. */
static int kind_option(xt_gen_options *opt, int id, const char *v)
{
    switch (id) {
    case OPT_VARIANT: opt->variant = v; return 1;
    case OPT_FLATS: return parse_int(&opt->flats, "flats", v, 1000) ? -1 : 1;
    case OPT_EXPONENT:
        return parse_long(&opt->exponent, "exponent", v,
                          XT_GEN_MAX_EXPONENT) ? -1 : 1;
    case OPT_LEVEES:
        return parse_int(&opt->levees, "levees", v, XT_MAX_HIDDEN / 3) ? -1
                                                                       : 1;
    case OPT_DIRECTIONS: opt->directions = v; return 1;
    case OPT_PLAIN: opt->plain = 1; return 1;
    case OPT_TRIES:
        return parse_long(&opt->tries, "tries", v, 1000000) ? -1 : 1;
    case OPT_RESTARTS:
        return parse_long(&opt->restarts, "restarts", v, 100000) ? -1 : 1;
    case OPT_EPOCHS:
        return parse_long(&opt->epochs, "epochs", v, 100000000) ? -1 : 1;
    case OPT_MIN_FAILURE: return parse_fraction(&opt->min_failure, v) ? -1 : 1;
    case OPT_TIME_LIMIT:
        opt->time_limit = xt_cli_parse_seconds("xtrain gen", "time-limit", v);
        return opt->time_limit < 0 ? -1 : 1;
    case OPT_CSV: opt->csv_path = v; return 1;
    case OPT_COLUMNS: opt->columns = v; return 1;
    case OPT_LABEL_COLUMN:
        return parse_int(&opt->label_column, "label-column", v,
                         XT_MAX_DIM + 1) ? -1 : 1;
    case OPT_ROWS: opt->rows = v; return 1;
    case OPT_REDUCTION: opt->reduction = v; return 1;
    case OPT_SOURCE: opt->source_path = v; return 1;
    case OPT_SOURCE_SIZE:
        return parse_int(&opt->source_size, "source-size", v, 1000000) ? -1
                                                                       : 1;
    case OPT_PLANTED: opt->planted = 1; return 1;
    case OPT_CLAUSES:
        return parse_int(&opt->clauses, "clauses", v, 1000) ? -1 : 1;
    case OPT_RIGIDITY: opt->rigidity_path = v; return 1;
    case OPT_BINARY_LABEL:
        opt->binary_label = 1;
        if (xt_rat_parse(opt->label_value, v) == 0)
            return 1;
        fprintf(stderr, "xtrain gen: invalid --binary-label \"%s\" "
                "(expected a number)\n", v);
        return -1;
    }
    return 0;
}

/* Parses the command line; returns -1 to continue, else an exit code. */
static int parse_args(gen_args *a, int argc, char **argv)
{
    xt_cli_parser p;
    xt_cli_parser_init(&p, "xtrain gen", argc, argv);
    int id;
    while ((id = xt_cli_next(&p, gen_options)) != XT_OPT_END) {
        if (id == XT_OPT_ERROR)
            return XT_EXIT_USAGE;
        int handled = teacher_option(&a->opt, id, p.value);
        if (!handled)
            handled = kind_option(&a->opt, id, p.value);
        if (handled < 0)
            return XT_EXIT_USAGE;
        if (handled)
            continue;
        switch (id) {
        case XT_OPT_HELP:
            xt_cli_print_help(gen_usage, gen_description, gen_options);
            return XT_EXIT_OK;
        case XT_OPT_VERBOSE: xt_verbosity++; break;
        case XT_OPT_QUIET: xt_verbosity = 0; break;
        case OPT_SEED:
            if (parse_seed(&a->opt.seed, p.value))
                return XT_EXIT_USAGE;
            break;
        case OPT_OUTPUT: a->output = p.value; break;
        case OPT_ANSWER: a->answer = p.value; break;
        case OPT_CERTIFICATE: a->certificate = p.value; break;
        case XT_OPT_POSITIONAL:
            if (a->has_kind) {
                fprintf(stderr, "xtrain gen: unexpected argument \"%s\"\n",
                        p.value);
                return XT_EXIT_USAGE;
            }
            if (xt_gen_kind_parse(&a->kind, p.value)) {
                fprintf(stderr, "xtrain gen: unknown kind \"%s\" (expected "
                        "planted, degenerate, levee, moment, sgd-trap, "
                        "slice or reduction)\n", p.value);
                return XT_EXIT_USAGE;
            }
            a->has_kind = 1;
            break;
        }
    }
    if (!a->has_kind) {
        fprintf(stderr, "xtrain gen: missing KIND (see xtrain gen --help)\n");
        return XT_EXIT_USAGE;
    }
    return -1;
}

/* The command line as one string, words with characters special to a
 * shell in single quotes, for the file's header.  Caller frees. */
static char *command_line(int argc, char **argv)
{
    size_t size = 64;
    for (int i = 0; i < argc; i++)
        size += 4 * strlen(argv[i]) + 3;
    char *line = malloc(size);
    if (!line)
        return NULL;
    size_t used = (size_t)snprintf(line, size, "generated by xtrain %s: "
                                   "xtrain", XT_VERSION);
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        int plain = *w && strspn(w, "abcdefghijklmnopqrstuvwxyz"
                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                    "-_=+/.,:") == strlen(w);
        line[used++] = ' ';
        if (!plain)
            line[used++] = '\'';
        for (; *w; w++) {
            if (*w == '\'') {
                memcpy(line + used, "'\\''", 4);
                used += 4;
            } else if (*w != '\n') {
                line[used++] = *w;
            }
        }
        if (!plain)
            line[used++] = '\'';
    }
    line[used] = '\0';
    return line;
}

static int write_file(const char *path, const xt_gen_result_t res,
                      const char *header, int what)
{
    FILE *f = xt_cli_open_output("xtrain gen", path);
    if (!f)
        return XT_EXIT_USAGE;
    int rc = XT_EXIT_OK;
    xt_error_t err;
    xt_error_clear(&err);
    if (what == OPT_OUTPUT) {
        xt_gen_write_instance(f, res, header);
    } else if (what == OPT_ANSWER) {
        xt_network_write(f, res->answer);
    } else if (xt_gen_write_certificate(f, res, &err) != XT_OK) {
        fprintf(stderr, "xtrain gen: %s: %s\n", path, err.message);
        rc = XT_EXIT_USAGE;
    }
    xt_cli_close_output(f);
    return rc;
}

static int write_outputs(const gen_args *a, const xt_gen_result_t res,
                         const char *header)
{
    if ((a->answer || a->certificate) && !res->has_answer) {
        fprintf(stderr, "xtrain gen: this instance has no planted answer; "
                "solve it with xtrain solve --certificate\n");
        return XT_EXIT_USAGE;
    }
    int rc = write_file(a->output ? a->output : "-", res, header, OPT_OUTPUT);
    if (rc == XT_EXIT_OK && a->answer)
        rc = write_file(a->answer, res, header, OPT_ANSWER);
    if (rc == XT_EXIT_OK && a->certificate)
        rc = write_file(a->certificate, res, header, OPT_CERTIFICATE);
    if (rc == XT_EXIT_OK && xt_verbosity >= 2 && res->has_answer) {
        fprintf(stderr, "xtrain gen: %ld points, %d inputs; planted answer "
                "with %s loss ", res->instance->n, res->instance->d,
                xt_loss_name(res->instance->loss));
        xt_rat_print(stderr, res->answer_loss);
        fprintf(stderr, "%s\n", res->answer_optimal ? " (optimal)" : "");
    }
    return rc;
}

int xt_cmd_gen(int argc, char **argv)
{
    gen_args a;
    memset(&a, 0, sizeof a);
    xt_gen_options_init(&a.opt);
    int rc = parse_args(&a, argc, argv);
    if (rc >= 0) {
        xt_gen_options_clear(&a.opt);
        return rc;
    }
    xt_gen_result_t res;
    xt_error_t err;
    xt_error_clear(&err);
    xt_gen_result_init(res);
    int status = xt_gen(res, a.kind, &a.opt, &err);
    if (status != XT_OK) {
        fprintf(stderr, "xtrain gen: %s: %s\n", xt_gen_kind_name(a.kind),
                err.message);
        /* The notes list what was tried, e.g. every search candidate. */
        if (xt_verbosity >= 2 && res->notes)
            fputs(res->notes, stderr);
        rc = status == XT_ERR_LIMIT || status == XT_ERR_NOMEM
                 ? XT_EXIT_UNKNOWN
             : status == XT_ERR_INTERNAL ? XT_EXIT_INTERNAL
                                         : XT_EXIT_USAGE;
    } else {
        char *header = command_line(argc, argv);
        rc = write_outputs(&a, res, header);
        free(header);
    }
    xt_gen_result_clear(res);
    xt_gen_options_clear(&a.opt);
    return rc;
}
