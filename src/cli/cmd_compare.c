/* xtrain compare: the exact optimum next to R SGD restarts on the same
 * instance, in one table.  Every SGD loss is re-evaluated exactly from
 * the trained double weights, so the two columns compare exactly. */
#include <stdlib.h>
#include <string.h>
#include "cmd_sgd.h"
#include "xtrain/json.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"
#include "xtrain/solve.h"

enum {
    OPT_METHOD = XT_OPT_FIRST_COMMAND,
    OPT_TIME_LIMIT,
    OPT_TOLERANCE
};

static const xt_cli_option compare_options[] = {
    XT_CLI_COMMON_OPTIONS,
    {"json", 0, 0, XT_OPT_JSON, "        print one JSON object"},
    {"method", 0, 1, OPT_METHOD,
     "NAME    exact method, as for xtrain solve (default auto)"},
    {"time-limit", 't', 1, OPT_TIME_LIMIT,
     "SEC     exact solver time limit in seconds (0: none)"},
    {"tolerance", 0, 1, OPT_TOLERANCE,
     "X       success: loss <= optimum + X (default 1e-6)"},
    XT_CLI_SGD_OPTIONS,
    XT_CLI_SETTINGS_OPTIONS,
    {NULL, 0, 0, 0, NULL}
};

static const char compare_usage[] =
    "xtrain compare INSTANCE [--hidden K] [--method NAME] [--time-limit S]\n"
    "       [--tolerance X] [SGD options as for xtrain sgd] [--json]";

static const char compare_description[] =
    "Runs the exact solver and R SGD restarts on INSTANCE and prints one\n"
    "table: the exact optimum, the best, median and worst SGD loss (each\n"
    "re-evaluated exactly), the success rate and the time of each.  A\n"
    "restart succeeds when its exact loss is at most the optimum plus\n"
    "--tolerance; when the optimum is 0 the table also counts restarts\n"
    "whose loss is exactly 0.  Exit status: 0 done, 2 bad input, 3 the\n"
    "exact solver gave no proven answer or the run was interrupted.";

typedef struct {
    const char *instance;
    xt_solve_options solve;
    mpq_t tolerance;
    int json;
} compare_args;

typedef struct {
    xt_solve_result_t exact;
    double exact_seconds;
    int has_reference;      /* 1 when reference is a proven optimum */
    mpq_t reference;
    xt_sgd_report_t sgd;
    int sgd_ran;
    long within;            /* restarts within the tolerance */
    long zero;              /* restarts with loss exactly 0 */
} compare_result;

static int parse_compare(compare_args *a, xt_cli_sgd *s,
                         xt_cli_settings *settings, const char *cmd,
                         int argc, char **argv)
{
    xt_cli_parser p;
    int id;
    xt_cli_parser_init(&p, cmd, argc, argv);
    while ((id = xt_cli_next(&p, compare_options)) != XT_OPT_END) {
        if (id == XT_OPT_ERROR)
            return XT_EXIT_USAGE;
        int handled = xt_cli_settings_option(settings, cmd, id, p.value);
        if (!handled)
            handled = xt_cli_sgd_option(s, cmd, id, p.value);
        if (handled < 0)
            return XT_EXIT_USAGE;
        if (handled)
            continue;
        if (id == XT_OPT_HELP) {
            xt_cli_print_help(compare_usage, compare_description,
                              compare_options);
            return XT_EXIT_OK;
        } else if (id == XT_OPT_VERBOSE) {
            xt_verbosity++;
        } else if (id == XT_OPT_QUIET) {
            xt_verbosity = 0;
        } else if (id == XT_OPT_JSON) {
            a->json = 1;
        } else if (id == OPT_METHOD) {
            if (xt_method_parse(&a->solve.method, p.value)) {
                fprintf(stderr, "%s: unknown method \"%s\" (see xtrain "
                        "solve --help)\n", cmd, p.value);
                return XT_EXIT_USAGE;
            }
        } else if (id == OPT_TIME_LIMIT) {
            a->solve.time_limit = xt_cli_parse_seconds(cmd, "time-limit",
                                                       p.value);
            if (a->solve.time_limit < 0)
                return XT_EXIT_USAGE;
        } else if (id == OPT_TOLERANCE) {
            if (xt_rat_parse(a->tolerance, p.value) ||
                mpq_sgn(a->tolerance) < 0) {
                fprintf(stderr, "%s: invalid value \"%s\" for --tolerance "
                        "(expected a rational number >= 0)\n", cmd,
                        p.value);
                return XT_EXIT_USAGE;
            }
        } else if (id == XT_OPT_POSITIONAL) {
            if (a->instance) {
                fprintf(stderr, "%s: unexpected argument \"%s\"\n", cmd,
                        p.value);
                return XT_EXIT_USAGE;
            }
            a->instance = p.value;
        }
    }
    if (!a->instance) {
        fprintf(stderr, "%s: expected an INSTANCE file (see %s --help)\n",
                cmd, cmd);
        return XT_EXIT_USAGE;
    }
    return -1;
}

/* The proven optimum, when the solver found one: an optimal status, or a
 * feasible network for target 0 (whose loss 0 is then optimal). */
static void set_reference(compare_result *res, const xt_instance_t inst)
{
    const xt_solve_result_struct *e = res->exact;
    int zero_target = inst->has_target && mpq_sgn(inst->target) == 0;
    if (e->status == XT_SOLVE_OPTIMAL && e->has_network) {
        mpq_set(res->reference, e->loss);
        res->has_reference = 1;
    } else if (e->status == XT_SOLVE_FEASIBLE && zero_target) {
        mpq_set_ui(res->reference, 0, 1);
        res->has_reference = 1;
    }
}

static void count_successes(compare_result *res, const mpq_t tolerance)
{
    mpq_t bound;
    mpq_init(bound);
    mpq_add(bound, res->reference, tolerance);
    for (long r = 0; r < res->sgd->restarts; r++) {
        if (res->sgd->info[r].diverged)
            continue;
        res->within += mpq_cmp(res->sgd->loss[r], bound) <= 0;
        res->zero += mpq_sgn(res->sgd->loss[r]) == 0;
    }
    mpq_clear(bound);
}

static int run_exact(compare_result *res, const compare_args *a,
                     const xt_instance_t inst, const char *cmd)
{
    xt_error_t err;
    xt_error_clear(&err);
    double start = xt_seconds();
    int rc = xt_solve(res->exact, inst, &a->solve, &err);
    res->exact_seconds = xt_seconds() - start;
    if (rc != XT_OK) {
        fprintf(stderr, "%s: exact solver: %s\n", cmd, err.message);
        return rc == XT_ERR_INPUT ? XT_EXIT_USAGE : XT_EXIT_INTERNAL;
    }
    set_reference(res, inst);
    return XT_EXIT_OK;
}

static void show_restart(void *ctx, long restart)
{
    const long *total = ctx;
    xt_progress("compare: SGD restart %ld of %ld", restart + 1, *total);
}

static int run_sgd(compare_result *res, xt_cli_sgd *s,
                   const xt_instance_t inst, const char *cmd)
{
    xt_error_t err;
    xt_error_clear(&err);
    s->opt.on_restart = show_restart;
    s->opt.ctx = &s->opt.restarts;
    int rc = xt_sgd_run(res->sgd, inst, &s->opt, &err);
    xt_progress_done();
    if (rc != XT_OK) {
        fprintf(stderr, "%s: %s\n", cmd, err.message);
        return rc == XT_ERR_INPUT ? XT_EXIT_USAGE : XT_EXIT_INTERNAL;
    }
    res->sgd_ran = 1;
    return XT_EXIT_OK;
}

static void json_rational(const char *key, const mpq_t q)
{
    printf("\"%s\": \"", key);
    xt_rat_print(stdout, q);
    printf("\"");
}

static void print_json_exact(const compare_result *res)
{
    const xt_solve_result_struct *e = res->exact;
    printf("\"exact\": {\"status\": \"%s\", \"method\": ",
           xt_solve_status_name(e->status));
    xt_json_write_string(stdout, e->method_name ? e->method_name : "none");
    printf(", \"seconds\": %.6f", res->exact_seconds);
    if (res->has_reference) {
        printf(", ");
        json_rational("optimum", res->reference);
    }
    if (e->has_network) {
        printf(", ");
        json_rational("network_loss", e->loss);
    }
    if (e->has_lower) {
        printf(", ");
        json_rational("lower_bound", e->lower);
    }
    printf("}");
}

static void print_json_sgd(const compare_result *res, const xt_cli_sgd *s)
{
    const xt_sgd_report_struct *g = res->sgd;
    const xt_sgd_options *o = &s->opt;
    printf("\"sgd\": {\"optimizer\": \"%s\", \"lr\": ",
           xt_sgd_optimizer_name(o->optimizer));
    xt_cli_print_double(stdout, o->lr);
    printf(", \"schedule\": \"%s\", \"epochs\": %ld, \"batch\": %ld, "
           "\"seed\": %llu, \"restarts\": %ld, \"started\": %ld, "
           "\"diverged\": %ld, \"seconds\": %.6f",
           xt_sgd_schedule_name(o->schedule), o->epochs, o->batch,
           (unsigned long long)o->seed, o->restarts, g->restarts,
           g->restarts - g->finite, g->seconds);
    if (g->best >= 0) {
        printf(", ");
        json_rational("best", g->min);
        printf(", ");
        json_rational("median", g->median);
        printf(", ");
        json_rational("worst", g->max);
    }
    printf("}");
}

static void print_json(const compare_args *a, const xt_instance_t inst,
                       const xt_cli_sgd *s, const compare_result *res)
{
    printf("{\"instance\": ");
    xt_json_write_string(stdout, a->instance);
    printf(", \"loss_kind\": \"%s\", \"hidden\": %d, \"points\": %ld, ",
           xt_loss_name(inst->loss), inst->hidden, inst->n);
    print_json_exact(res);
    if (res->sgd_ran) {
        printf(", ");
        print_json_sgd(res, s);
    }
    printf(", \"success\": {");
    json_rational("tolerance", a->tolerance);
    if (res->sgd_ran && res->has_reference) {
        printf(", \"within_tolerance\": %ld, \"rate\": %.6f",
               res->within, (double)res->within / res->sgd->restarts);
        if (mpq_sgn(res->reference) == 0)
            printf(", \"exactly_zero\": %ld", res->zero);
    }
    printf("}, \"interrupted\": %s}\n",
           xt_interrupted() ? "true" : "false");
}

/* One table row: label, loss (or text when loss is NULL), seconds
 * (blank when negative) and a note, without trailing spaces. */
static void row(const char *label, const mpq_t loss, const char *text,
                double seconds, const char *note)
{
    char value[64], line[320];
    if (loss)
        xt_cli_format_loss(value, sizeof value, loss);
    else
        snprintf(value, sizeof value, "%s", text);
    int len = snprintf(line, sizeof line, "%-16s %-16s ", label, value);
    if (seconds >= 0)
        len += snprintf(line + len, sizeof line - (size_t)len,
                        "%9.3f s  %s", seconds, note);
    if (len >= (int)sizeof line)
        len = (int)sizeof line - 1;
    while (len > 0 && line[len - 1] == ' ')
        line[--len] = 0;
    printf("%s\n", line);
}

static void print_text(const compare_args *a, const xt_instance_t inst,
                       const xt_cli_sgd *s, const compare_result *res)
{
    const xt_solve_result_struct *e = res->exact;
    const xt_sgd_report_struct *g = res->sgd;
    char note[160];
    printf("compare on %s: %ld points, d = %d, k = %d, loss %s, %s output "
           "bias%s\n\n", a->instance, inst->n, inst->d, inst->hidden,
           xt_loss_name(inst->loss), inst->output_bias ? "with" : "no",
           inst->convex ? ", convex" : "");
    printf("%-16s %-16s %11s  %s\n", "", "loss", "time", "note");
    snprintf(note, sizeof note, "%s (%s)", xt_solve_status_name(e->status),
             e->method_name ? e->method_name : "none");
    if (res->has_reference)
        row("exact optimum", res->reference, NULL, res->exact_seconds, note);
    else if (e->has_network)
        row("exact network", e->loss, NULL, res->exact_seconds,
            "not proven optimal");
    else
        row("exact optimum", NULL, "-", res->exact_seconds, note);
    if (!res->sgd_ran)
        return;
    if (g->best < 0) {
        row("SGD", NULL, "diverged", g->seconds, "every restart diverged");
        return;
    }
    snprintf(note, sizeof note, "%ld restarts of %ld epochs, %s",
             g->restarts, s->opt.epochs,
             xt_sgd_optimizer_name(s->opt.optimizer));
    row("SGD best", g->min, NULL, g->seconds, note);
    row("SGD median", g->median, NULL, -1, "");
    row("SGD worst", g->max, NULL, -1, "");
    if (!res->has_reference) {
        printf("success rate: unknown (no proven optimum)\n");
        return;
    }
    printf("success rate: %ld of %ld restarts within ", res->within,
           g->restarts);
    xt_rat_print(stdout, a->tolerance);
    printf(" of the optimum");
    if (mpq_sgn(res->reference) == 0)
        printf("; %ld of %ld exactly 0", res->zero, g->restarts);
    printf("\n");
}

static void compare_result_init(compare_result *res)
{
    memset(res, 0, sizeof *res);
    xt_solve_result_init(res->exact);
    mpq_init(res->reference);
    xt_sgd_report_init(res->sgd);
}

static void compare_result_clear(compare_result *res)
{
    xt_solve_result_clear(res->exact);
    mpq_clear(res->reference);
    xt_sgd_report_clear(res->sgd);
}

static int run_compare(const compare_args *a, xt_cli_sgd *s,
                       const xt_instance_t inst, const char *cmd)
{
    compare_result res;
    compare_result_init(&res);
    int rc = run_exact(&res, a, inst, cmd);
    if (rc == XT_EXIT_OK && !xt_interrupted())
        rc = run_sgd(&res, s, inst, cmd);
    if (rc == XT_EXIT_OK) {
        if (res.sgd_ran && res.has_reference)
            count_successes(&res, a->tolerance);
        if (a->json)
            print_json(a, inst, s, &res);
        else
            print_text(a, inst, s, &res);
        if (xt_interrupted() || !res.has_reference)
            rc = XT_EXIT_UNKNOWN;
    }
    compare_result_clear(&res);
    return rc;
}

int xt_cmd_compare(int argc, char **argv)
{
    const char *cmd = "xtrain compare";
    compare_args args;
    xt_cli_settings settings;
    xt_cli_sgd s;
    xt_instance_t inst;
    memset(&args, 0, sizeof args);
    xt_solve_options_init(&args.solve);
    mpq_init(args.tolerance);
    mpq_set_ui(args.tolerance, 1, 1000000);
    xt_cli_settings_init(&settings);
    xt_cli_sgd_init(&s);
    xt_instance_init(inst);

    int rc = parse_compare(&args, &s, &settings, cmd, argc, argv);
    if (rc < 0) {
        rc = xt_cli_load_instance(inst, args.instance, &settings);
        if (rc == XT_EXIT_OK)
            rc = xt_cli_sgd_prepare(&s, cmd, inst);
        if (rc == XT_EXIT_OK)
            rc = run_compare(&args, &s, inst, cmd);
    }

    xt_instance_clear(inst);
    xt_cli_sgd_clear(&s);
    xt_cli_settings_clear(&settings);
    mpq_clear(args.tolerance);
    return rc;
}
