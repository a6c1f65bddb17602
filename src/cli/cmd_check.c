/* xtrain check: the trusted, independent verifier.
 *
 *   xtrain check INSTANCE NETWORK      exact loss of a network
 *   xtrain check INSTANCE --certificate FILE
 *                                      verify a solver's certificate
 *
 * Uses only core and checker code, never a solver. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "xtrain/check.h"
#include "xtrain/json.h"
#include "xtrain/log.h"
#include "xtrain/network.h"
#include "xtrain/rat.h"
#include "xtrain/smt.h"

enum { OPT_CERTIFICATE = XT_OPT_FIRST_COMMAND };

static const xt_cli_option check_options[] = {
    XT_CLI_COMMON_OPTIONS,
    {"json", 0, 0, XT_OPT_JSON, "        print one JSON object"},
    {"certificate", 'c', 1, OPT_CERTIFICATE,
     "FILE    verify a certificate written by xtrain solve"},
    XT_CLI_SETTINGS_OPTIONS,
    {NULL, 0, 0, 0, NULL}
};

static const char check_usage[] =
    "xtrain check INSTANCE NETWORK [--json] [-v]\n"
    "       xtrain check INSTANCE --certificate FILE [--json]";

static const char check_description[] =
    "Evaluates NETWORK on INSTANCE in exact rational arithmetic and reports\n"
    "its loss and whether it meets the instance's target, or verifies a\n"
    "certificate of optimality or infeasibility without any solver code.\n"
    "Exit status: 0 when the network meets the target (or no target is\n"
    "set) or the certificate holds, 1 when not, 2 on bad input.";

/* Whether loss meets the instance's target; 1 when there is none. */
static int meets_target(const xt_instance_t inst, const mpq_t loss)
{
    return !inst->has_target || mpq_cmp(loss, inst->target) <= 0;
}

static void print_network_json(const xt_instance_t inst,
                               const xt_network_t net, const mpq_t loss,
                               const mpq_t *residuals, int conforms,
                               const char *why)
{
    printf("{\"loss\": \"");
    xt_rat_print(stdout, loss);
    printf("\", \"loss_kind\": \"%s\"", xt_loss_name(inst->loss));
    if (inst->has_target) {
        printf(", \"target\": \"");
        xt_rat_print(stdout, inst->target);
        printf("\"");
    }
    printf(", \"conforms\": %s", conforms ? "true" : "false");
    if (!conforms) {
        printf(", \"violation\": ");
        xt_json_write_string(stdout, why);
    }
    printf(", \"meets_target\": %s",
           conforms && meets_target(inst, loss) ? "true" : "false");
    printf(", \"points\": %ld, \"residuals\": [", inst->n);
    for (long i = 0; i < inst->n * inst->m; i++) {
        printf(i ? ", \"" : "\"");
        xt_rat_print(stdout, residuals[i]);
        printf("\"");
    }
    printf("]}\n");
    (void)net;
}

static void print_network_text(const xt_instance_t inst, const mpq_t loss,
                               const mpq_t *residuals, int conforms,
                               const char *why)
{
    if (xt_verbosity >= 2)
        for (long i = 0; i < inst->n; i++)
            for (int o = 0; o < inst->m; o++) {
                printf("point %ld output %d residual ", i + 1, o + 1);
                xt_rat_print(stdout, residuals[i * inst->m + o]);
                printf("\n");
            }
    printf("loss (%s): ", xt_loss_name(inst->loss));
    xt_rat_print(stdout, loss);
    if (mpz_cmp_ui(mpq_denref(loss), 1) != 0) {
        printf(" = ");
        xt_rat_print_decimal(stdout, loss, 12);
    }
    printf("\n");
    if (!conforms)
        printf("network does not satisfy the instance: %s\n", why);
    if (inst->has_target) {
        printf("target ");
        xt_rat_print(stdout, inst->target);
        printf(": %s\n",
               conforms && meets_target(inst, loss) ? "met" : "not met");
    }
}

static int check_network(const xt_instance_t inst, const char *path,
                         int json)
{
    xt_network_t net;
    xt_error_t err;
    if (xt_algebraic_network_file_test(path) == 1)
        return xt_check_algebraic_network(inst, path, json);
    xt_error_clear(&err);
    xt_network_init(net);
    int rc = XT_EXIT_USAGE;
    if (xt_network_read_file(net, path, &err) != XT_OK) {
        fprintf(stderr, "%s\n", err.message);
        xt_network_clear(net);
        return rc;
    }
    if (net->d != inst->d || net->m != inst->m) {
        fprintf(stderr, "%s: network has %d inputs and %d outputs, the "
                "instance %d and %d\n", path, net->d, net->m, inst->d,
                inst->m);
        xt_network_clear(net);
        return rc;
    }
    char why[XT_ERROR_MAX] = "";
    int conforms = xt_network_conforms(net, inst, &err) == XT_OK;
    if (!conforms)
        snprintf(why, sizeof why, "%s", err.message);

    mpq_t loss;
    mpq_init(loss);
    size_t count = (size_t)inst->n * (size_t)inst->m;
    mpq_t *residuals = xt_rat_array_new(count ? count : 1);
    if (xt_network_loss(loss, residuals, net, inst, inst->loss, &err)) {
        fprintf(stderr, "%s\n", err.message);
    } else {
        if (json)
            print_network_json(inst, net, loss, residuals, conforms, why);
        else
            print_network_text(inst, loss, residuals, conforms, why);
        rc = conforms && meets_target(inst, loss) ? XT_EXIT_OK
                                                  : XT_EXIT_NO;
    }
    xt_rat_array_free(residuals, count ? count : 1);
    mpq_clear(loss);
    xt_network_clear(net);
    return rc;
}

static void print_report(const xt_check_report_t rep, const char *why,
                         int json)
{
    if (json) {
        printf("{\"verified\": %s, \"kind\": ",
               rep->verified ? "true" : "false");
        xt_json_write_string(stdout, rep->kind);
        printf(", \"infeasible\": %s", rep->infeasible ? "true" : "false");
        if (rep->has_lower) {
            printf(", \"lower_bound\": \"");
            xt_rat_print(stdout, rep->lower);
            printf("\"");
        }
        if (rep->has_upper) {
            printf(", \"upper_bound\": \"");
            xt_rat_print(stdout, rep->upper);
            printf("\"");
        }
        printf(", \"patterns\": %ld", rep->patterns);
        if (!rep->verified) {
            printf(", \"error\": ");
            xt_json_write_string(stdout, why);
        }
        printf("}\n");
        return;
    }
    if (!rep->verified) {
        printf("certificate rejected: %s\n", why);
        return;
    }
    printf("certificate verified (%s, %ld patterns checked)\n", rep->kind,
           rep->patterns);
    if (rep->infeasible)
        printf("proven: no network reaches the target\n");
    if (rep->has_lower && rep->has_upper && !mpq_cmp(rep->lower, rep->upper)) {
        printf("proven optimum: ");
        xt_rat_print(stdout, rep->lower);
        printf("\n");
    } else {
        if (rep->has_lower) {
            printf("proven lower bound: ");
            xt_rat_print(stdout, rep->lower);
            printf("\n");
        }
        if (rep->has_upper) {
            printf("loss of the certificate's network: ");
            xt_rat_print(stdout, rep->upper);
            printf("\n");
        }
    }
}

static int check_certificate(const xt_instance_t inst, const char *path,
                             int json)
{
    xt_check_report_t rep;
    xt_error_t err;
    xt_error_clear(&err);
    xt_check_report_init(rep);
    int rc = xt_check_certificate_file(rep, inst, path, &err);
    if (rc != XT_OK) {
        fprintf(stderr, "%s\n", err.message);
        xt_check_report_clear(rep);
        return XT_EXIT_USAGE;
    }
    print_report(rep, err.message, json);
    rc = rep->verified ? XT_EXIT_OK : XT_EXIT_NO;
    xt_check_report_clear(rep);
    return rc;
}

int xt_cmd_check(int argc, char **argv)
{
    const char *cmd = "xtrain check";
    const char *files[2] = {NULL, NULL};
    const char *certificate = NULL;
    int nfiles = 0, json = 0, id, rc = XT_EXIT_USAGE;
    xt_cli_settings settings;
    xt_cli_parser p;
    xt_cli_settings_init(&settings);
    xt_cli_parser_init(&p, cmd, argc, argv);

    while ((id = xt_cli_next(&p, check_options)) != XT_OPT_END) {
        int handled = xt_cli_settings_option(&settings, cmd, id, p.value);
        if (handled < 0 || id == XT_OPT_ERROR)
            goto done;
        if (handled)
            continue;
        if (id == XT_OPT_HELP) {
            xt_cli_print_help(check_usage, check_description,
                              check_options);
            rc = XT_EXIT_OK;
            goto done;
        } else if (id == XT_OPT_VERBOSE) {
            xt_verbosity++;
        } else if (id == XT_OPT_QUIET) {
            xt_verbosity = 0;
        } else if (id == XT_OPT_JSON) {
            json = 1;
        } else if (id == OPT_CERTIFICATE) {
            certificate = p.value;
        } else if (id == XT_OPT_POSITIONAL) {
            if (nfiles == 2) {
                fprintf(stderr, "%s: unexpected argument \"%s\"\n", cmd,
                        p.value);
                goto done;
            }
            files[nfiles++] = p.value;
        }
    }
    if (nfiles == 0 || (nfiles == 1) == !certificate) {
        fprintf(stderr, "%s: expected INSTANCE and either NETWORK or "
                "--certificate FILE (see %s --help)\n", cmd, cmd);
        goto done;
    }

    xt_instance_t inst;
    xt_instance_init(inst);
    rc = xt_cli_load_instance(inst, files[0], &settings);
    if (rc == XT_EXIT_OK)
        rc = certificate ? check_certificate(inst, certificate, json)
                         : check_network(inst, files[1], json);
    xt_instance_clear(inst);
done:
    xt_cli_settings_clear(&settings);
    return rc;
}
