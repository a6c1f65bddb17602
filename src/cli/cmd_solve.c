/* xtrain solve: the exact global optimum (or a decision against a target)
 * with an optional certificate for `xtrain check --certificate`. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "xtrain/json.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"
#include "xtrain/solve.h"

enum {
    OPT_METHOD = XT_OPT_FIRST_COMMAND,
    OPT_CERTIFICATE,
    OPT_TIME_LIMIT,
    OPT_OUTPUT,
    OPT_NAIVE,
    OPT_MAX_PATTERNS,
    OPT_MEMORY_LIMIT,
    OPT_THREADS
};

static const xt_cli_option solve_options[] = {
    XT_CLI_COMMON_OPTIONS,
    {"json", 0, 0, XT_OPT_JSON, "        print one JSON object"},
    {"method", 0, 1, OPT_METHOD,
     "NAME    auto, enum, convex, threshold, smt or mip (default auto)"},
    {"certificate", 'c', 1, OPT_CERTIFICATE,
     "FILE    write a certificate for xtrain check"},
    {"time-limit", 't', 1, OPT_TIME_LIMIT,
     "SEC     stop after SEC seconds (0: no limit)"},
    {"output", 'o', 1, OPT_OUTPUT, "FILE    write the network (text)"},
    {"memory-limit", 0, 1, OPT_MEMORY_LIMIT,
     "MIB     stop with exit code 3 beyond MIB mebibytes"},
    {"naive", 0, 0, OPT_NAIVE,
     "        plain enumeration without pruning (for benchmarks)"},
    {"max-patterns", 0, 1, OPT_MAX_PATTERNS,
     "N       refuse more than N activation sets per neuron"},
    {"threads", 0, 1, OPT_THREADS,
     "N       worker threads for enum (default 0: every core)"},
    XT_CLI_SETTINGS_OPTIONS,
    {NULL, 0, 0, 0, NULL}
};

static const char solve_usage[] =
    "xtrain solve INSTANCE [--hidden K] [--loss l1|l2|linf] [--target G]\n"
    "       [--output-bias] [--convex] [--method NAME]\n"
    "       [--json] [--certificate FILE] [--time-limit SECONDS]\n"
    "       [-o NETWORK] [--memory-limit MIB] [--threads N] [--naive]\n"
    "       [--max-patterns N]";

static const char solve_description[] =
    "Finds the exact global optimum of a two-layer network on INSTANCE,\n"
    "or with a target decides whether some network reaches it.  Options\n"
    "override the instance file's settings.  Exit status: 0 optimal or\n"
    "feasible, 1 infeasible, 2 bad input, 3 limit or interrupt (the best\n"
    "network so far is printed, not proven optimal), 4 internal error.";

static int exit_code(xt_solve_status status)
{
    switch (status) {
    case XT_SOLVE_OPTIMAL:
    case XT_SOLVE_FEASIBLE: return XT_EXIT_OK;
    case XT_SOLVE_INFEASIBLE: return XT_EXIT_NO;
    default: return XT_EXIT_UNKNOWN;
    }
}

/* Prints, for each neuron, the points where it is active (w.x + b > 0). */
static void print_pattern_json(const xt_instance_t inst,
                               const xt_network_t net)
{
    mpq_t t, u;
    mpq_inits(t, u, NULL);
    printf("[");
    for (int j = 0; j < net->k; j++) {
        printf(j ? ", [" : "[");
        int first = 1;
        for (long i = 0; i < inst->n; i++) {
            mpq_set(t, net->b[j]);
            for (int c = 0; c < net->d; c++) {
                mpq_mul(u, net->w[j * net->d + c], inst->x[i * inst->d + c]);
                mpq_add(t, t, u);
            }
            if (mpq_sgn(t) > 0) {
                printf(first ? "%ld" : ", %ld", i);
                first = 0;
            }
        }
        printf("]");
    }
    printf("]");
    mpq_clears(t, u, NULL);
}

static void print_json(const xt_instance_t inst, const xt_solve_result_t r)
{
    printf("{\"status\": \"%s\", \"method\": \"%s\"",
           xt_solve_status_name(r->status), r->method_name);
    printf(", \"loss_kind\": \"%s\", \"hidden\": %d, \"output_bias\": %s",
           xt_loss_name(inst->loss), inst->hidden,
           inst->output_bias ? "true" : "false");
    if (r->has_network) {
        printf(", \"loss\": \"");
        xt_rat_print(stdout, r->loss);
        printf("\"");
    }
    if (r->has_lower) {
        printf(", \"lower_bound\": \"");
        xt_rat_print(stdout, r->lower);
        printf("\"");
    }
    if (inst->has_target) {
        printf(", \"target\": \"");
        xt_rat_print(stdout, inst->target);
        printf("\"");
    }
    printf(", \"proven\": %s",
           r->status == XT_SOLVE_UNKNOWN ? "false" : "true");
    if (r->interrupted)
        printf(", \"interrupted\": true");
    if (r->time_limit_reached)
        printf(", \"time_limit_reached\": true");
    if (r->weight_bound > 0)
        printf(", \"weight_bound\": %.17g", r->weight_bound);
    if (r->has_network) {
        printf(", \"network\": ");
        xt_network_write_json(stdout, r->network);
        printf(", \"pattern\": ");
        print_pattern_json(inst, r->network);
    }
    printf(", \"statistics\": {\"dichotomies\": %ld, \"patterns\": %ld, "
           "\"subproblems\": %ld, \"infeasible\": %ld, \"pruned\": %ld, "
           "\"exact_fallbacks\": %ld, \"seconds_enumerate\": %.6f, "
           "\"seconds_solve\": %.6f, \"seconds_total\": %.6f}}\n",
           r->dichotomies, r->patterns, r->subproblems, r->infeasible,
           r->pruned, r->exact_fallbacks, r->seconds_enumerate,
           r->seconds_solve, r->seconds_total);
}

static void print_statistics(const xt_solve_result_t r)
{
    fprintf(stderr,
            "statistics:\n"
            "  activation sets per neuron %12ld\n"
            "  patterns examined          %12ld\n"
            "  subproblems solved         %12ld\n"
            "  infeasible subproblems     %12ld\n"
            "  patterns pruned            %12ld\n"
            "  exact LP fallbacks         %12ld\n"
            "  time enumerating sets      %12.3f s\n"
            "  time solving subproblems   %12.3f s\n"
            "  time in total              %12.3f s\n",
            r->dichotomies, r->patterns, r->subproblems, r->infeasible,
            r->pruned, r->exact_fallbacks, r->seconds_enumerate,
            r->seconds_solve, r->seconds_total);
}

static void print_text(const xt_instance_t inst, const xt_solve_result_t r)
{
    printf("status: %s", xt_solve_status_name(r->status));
    if (r->interrupted)
        printf(" (interrupted: best network so far, not proven optimal)");
    if (r->time_limit_reached)
        printf(" (time limit: best network so far, not proven optimal)");
    printf("\n");
    if (r->has_network) {
        printf("loss (%s): ", xt_loss_name(inst->loss));
        xt_rat_print(stdout, r->loss);
        if (mpz_cmp_ui(mpq_denref(r->loss), 1) != 0) {
            printf(" = ");
            xt_rat_print_decimal(stdout, r->loss, 12);
        }
        printf("\n");
    }
    if (r->status == XT_SOLVE_UNKNOWN && r->has_lower && r->has_network) {
        /* what was proven when the search did not close */
        printf("proven lower bound: ");
        xt_rat_print(stdout, r->lower);
        printf("\nproven: optimum in [");
        xt_rat_print_decimal(stdout, r->lower, 12);
        printf(", ");
        xt_rat_print_decimal(stdout, r->loss, 12);
        printf("]\n");
    }
    if (r->status == XT_SOLVE_INFEASIBLE && r->has_lower) {
        printf("optimum ");
        xt_rat_print(stdout, r->lower);
        printf(" is above the target ");
        xt_rat_print(stdout, inst->target);
        printf("\n");
    }
    /* -q keeps the status and the loss only. */
    if (xt_verbosity >= 1 && r->has_network &&
        r->status != XT_SOLVE_INFEASIBLE) {
        printf("network:\n");
        xt_network_write(stdout, r->network);
    }
}

typedef struct {
    xt_cli_settings settings;
    xt_solve_options opt;
    const char *instance_path, *output_path;
    int json;
    long memory_limit;    /* MiB; 0: none */
} solve_args;

/* Parses the command line; returns -1 to continue, else an exit code. */
static int parse_args(solve_args *a, int argc, char **argv)
{
    const char *cmd = "xtrain solve";
    xt_cli_parser p;
    xt_cli_parser_init(&p, cmd, argc, argv);
    int id;
    long count;
    while ((id = xt_cli_next(&p, solve_options)) != XT_OPT_END) {
        int handled = xt_cli_settings_option(&a->settings, cmd, id, p.value);
        if (handled < 0 || id == XT_OPT_ERROR)
            return XT_EXIT_USAGE;
        if (handled)
            continue;
        switch (id) {
        case XT_OPT_HELP:
            xt_cli_print_help(solve_usage, solve_description,
                              solve_options);
            return XT_EXIT_OK;
        case XT_OPT_VERBOSE: xt_verbosity++; break;
        case XT_OPT_QUIET: xt_verbosity = 0; break;
        case XT_OPT_JSON: a->json = 1; break;
        case OPT_METHOD:
            if (xt_method_parse(&a->opt.method, p.value)) {
                fprintf(stderr, "%s: unknown method \"%s\" (expected auto, "
                        "enum, convex, threshold, smt or mip)\n", cmd, p.value);
                return XT_EXIT_USAGE;
            }
            break;
        case OPT_CERTIFICATE: a->opt.certificate_path = p.value; break;
        case OPT_TIME_LIMIT:
            a->opt.time_limit = xt_cli_parse_seconds(cmd, "time-limit",
                                                     p.value);
            if (a->opt.time_limit < 0)
                return XT_EXIT_USAGE;
            break;
        case OPT_OUTPUT: a->output_path = p.value; break;
        case OPT_MEMORY_LIMIT:
            a->memory_limit = xt_cli_parse_count(cmd, "memory-limit",
                                                 p.value, 1L << 30);
            if (a->memory_limit < 0)
                return XT_EXIT_USAGE;
            break;
        case OPT_NAIVE: a->opt.naive = 1; break;
        case OPT_MAX_PATTERNS:
            count = xt_cli_parse_count(cmd, "max-patterns", p.value,
                                       1000000000L);
            if (count < 0)
                return XT_EXIT_USAGE;
            a->opt.max_patterns = count;
            break;
        case OPT_THREADS:
            count = xt_cli_parse_count(cmd, "threads", p.value, 4096);
            if (count < 0)
                return XT_EXIT_USAGE;
            a->opt.threads = (int)count;  /* 0: every core */
            break;
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

static int write_network(const char *path, const xt_network_t net)
{
    FILE *f = xt_cli_open_output("xtrain solve", path);
    if (!f)
        return XT_EXIT_USAGE;
    xt_network_write(f, net);
    xt_cli_close_output(f);
    return XT_EXIT_OK;
}

int xt_cmd_solve(int argc, char **argv)
{
    solve_args a;
    memset(&a, 0, sizeof a);
    xt_cli_settings_init(&a.settings);
    xt_solve_options_init(&a.opt);
    int rc = parse_args(&a, argc, argv);
    if (rc < 0 && xt_cli_memory_limit("xtrain solve", a.memory_limit,
                                      a.json) != 0)
        rc = XT_EXIT_USAGE;
    if (rc >= 0) {
        xt_cli_settings_clear(&a.settings);
        return rc;
    }

    xt_instance_t inst;
    xt_instance_init(inst);
    rc = xt_cli_load_instance(inst, a.instance_path, &a.settings);
    xt_cli_settings_clear(&a.settings);
    if (rc != XT_EXIT_OK) {
        xt_instance_clear(inst);
        return rc;
    }

    xt_solve_result_t res;
    xt_error_t err;
    xt_error_clear(&err);
    xt_solve_result_init(res);
    int status = xt_solve(res, inst, &a.opt, &err);
    if (status != XT_OK) {
        const char *message = err.message;
        if (!message[0] && status == XT_ERR_NOMEM)
            message = a.memory_limit > 0
                          ? "memory limit reached, no result (raise "
                            "--memory-limit)"
                          : "out of memory, no result";
        else if (!message[0])
            message = "failed without a message (please report it)";
        fprintf(stderr, "xtrain solve: %s: %s\n", a.instance_path,
                message);
        /* Out of memory is a limit, like time: no answer, not bad
         * input. */
        rc = status == XT_ERR_INTERNAL ? XT_EXIT_INTERNAL
             : status == XT_ERR_LIMIT || status == XT_ERR_NOMEM
                 ? XT_EXIT_UNKNOWN
                 : XT_EXIT_USAGE;
        /* A limit still gives a result object, as a time limit does. */
        if (rc == XT_EXIT_UNKNOWN && a.json && xt_solve_rank() == 0)
            printf("{\"status\": \"unknown\", \"proven\": false, "
                   "\"%s\": true}\n", status == XT_ERR_NOMEM
                                         ? "memory_limit_reached"
                                         : "limit_reached");
    } else if (xt_solve_rank() > 0) {
        /* Under mpirun every process has the result; rank 0 prints it. */
        rc = exit_code(res->status);
    } else {
        if (a.json)
            print_json(inst, res);
        else
            print_text(inst, res);
        if (xt_verbosity >= 2)
            print_statistics(res);
        rc = exit_code(res->status);
        if (a.output_path && res->has_network &&
            write_network(a.output_path, res->network) != XT_EXIT_OK)
            rc = XT_EXIT_USAGE;
    }
    xt_solve_result_clear(res);
    xt_instance_clear(inst);
    return rc;
}
