/* xtrain demo: the main job on bundled data, for a first look.
 *
 * 1. Evaluates a bundled network on the XOR instance exactly.
 * 2. Solves the 1-D "hat" instance to its exact global optimum with two
 *    neurons (where no network fits exactly), writes a certificate and
 *    verifies it with the independent checker.
 * 3. Compares the exact optimum of the hat with three neurons (0) with
 *    SGD restarts, which often end in a worse local minimum. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "xtrain/check.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"
#include "xtrain/solve.h"

static const xt_cli_option demo_options[] = {
    XT_CLI_COMMON_OPTIONS,
    {"data", 0, 1, XT_OPT_FIRST_COMMAND,
     "DIR     folder of the bundled instances"},
    {NULL, 0, 0, 0, NULL}
};

/* The bundled data: --data, $XTRAIN_DATA, or the source tree. */
static const char *data_dir(const char *given)
{
    if (given)
        return given;
    const char *env = getenv("XTRAIN_DATA");
    if (env && *env)
        return env;
    return XT_SOURCE_DIR "/instances/data";
}

static int load(xt_instance_t inst, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_instance_read_file(inst, path, &err) != XT_OK) {
        fprintf(stderr, "xtrain demo: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int demo_evaluate(const char *dir)
{
    xt_instance_t inst;
    xt_network_t net;
    xt_error_t err;
    char path[4096];
    mpq_t loss;
    int rc = -1;
    xt_error_clear(&err);
    xt_instance_init(inst);
    xt_network_init(net);
    mpq_init(loss);
    snprintf(path, sizeof path, "%s/xor-k2.net", dir);
    if (load(inst, dir, "xor.txt") == 0) {
        if (xt_network_read_file(net, path, &err) != XT_OK ||
            xt_network_loss(loss, NULL, net, inst, inst->loss, &err))
            fprintf(stderr, "xtrain demo: %s\n", err.message);
        else
            rc = 0;
    }
    if (rc == 0) {
        printf("1. XOR on the unit square, network relu(x1 - x2) + "
               "relu(x2 - x1)\n   exact %s loss: ", xt_loss_name(inst->loss));
        xt_rat_print(stdout, loss);
        printf("\n\n");
    }
    mpq_clear(loss);
    xt_network_clear(net);
    xt_instance_clear(inst);
    return rc;
}

static int demo_verify(const xt_instance_t inst, const char *certificate)
{
    xt_check_report_t rep;
    xt_error_t err;
    xt_error_clear(&err);
    xt_check_report_init(rep);
    int rc = xt_check_certificate_file(rep, inst, certificate, &err);
    if (rc == XT_OK && rep->verified) {
        printf("   certificate verified by the independent checker: %ld "
               "patterns, proven optimum ", rep->patterns);
        xt_rat_print(stdout, rep->lower);
        printf("\n");
    } else {
        printf("   certificate NOT verified: %s\n", err.message);
        rc = -1;
    }
    xt_check_report_clear(rep);
    return rc;
}

static int demo_solve(const char *dir)
{
    xt_instance_t inst;
    xt_solve_result_t res;
    xt_solve_options opt;
    xt_error_t err;
    char certificate[] = "/tmp/xtrain-demo-XXXXXX";
    int rc = -1;
    xt_error_clear(&err);
    xt_instance_init(inst);
    xt_solve_result_init(res);
    xt_solve_options_init(&opt);
    int fd = mkstemp(certificate);
    if (fd < 0) {
        perror("xtrain demo: cannot create a temporary file");
        goto out;
    }
    close(fd);
    opt.certificate_path = certificate;
    if (load(inst, dir, "hat.txt"))
        goto out;
    inst->hidden = 2;
    if (xt_solve(res, inst, &opt, &err) != XT_OK) {
        fprintf(stderr, "xtrain demo: %s\n", err.message);
        goto out;
    }
    printf("2. The hat (-2,0) (-1,0) (0,1) (1,0) (2,0) with 2 ReLUs "
           "(3 fit it exactly)\n   status %s, exact %s loss ",
           xt_solve_status_name(res->status), xt_loss_name(inst->loss));
    xt_rat_print(stdout, res->loss);
    printf(" = ");
    xt_rat_print_decimal(stdout, res->loss, 6);
    printf("\n   %ld patterns solved exactly in %.2f s; the network:\n",
           res->subproblems, res->seconds_total);
    xt_network_write(stdout, res->network);
    rc = demo_verify(inst, certificate);
out:
    remove(certificate);
    xt_solve_result_clear(res);
    xt_instance_clear(inst);
    return rc;
}

static int demo_compare(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/hat.txt", dir);
    printf("\n3. The hat with 3 ReLUs: the exact optimum next to 10 Adam "
           "restarts\n\n");
    fflush(stdout);
    char *argv[] = {"compare", path, "--hidden", "3", "--optimizer", "adam",
                    "--lr", "0.05", "--restarts", "10", "--seed", "1",
                    NULL};
    return xt_cmd_compare(12, argv);
}

int xt_cmd_demo(int argc, char **argv)
{
    xt_cli_parser p;
    const char *dir = NULL;
    int id;
    xt_cli_parser_init(&p, "xtrain demo", argc, argv);
    while ((id = xt_cli_next(&p, demo_options)) != XT_OPT_END) {
        if (id == XT_OPT_ERROR)
            return XT_EXIT_USAGE;
        if (id == XT_OPT_HELP) {
            xt_cli_print_help("xtrain demo [--data DIR]",
                              "Runs xtrain's main job on bundled instances.",
                              demo_options);
            return XT_EXIT_OK;
        }
        if (id == XT_OPT_VERBOSE)
            xt_verbosity++;
        else if (id == XT_OPT_FIRST_COMMAND)
            dir = p.value;
        else if (id == XT_OPT_POSITIONAL) {
            fprintf(stderr, "xtrain demo: unexpected argument \"%s\"\n",
                    p.value);
            return XT_EXIT_USAGE;
        }
    }
    dir = data_dir(dir);
    static const char *const files[] = {"xor.txt", "hat.txt"};
    for (int i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (access(path, R_OK) != 0) {
            fprintf(stderr, "xtrain demo: cannot read %s: %s (pass the "
                    "bundled instances/data with --data DIR)\n", path,
                    strerror(errno));
            return XT_EXIT_USAGE;
        }
    }
    if (demo_evaluate(dir) || demo_solve(dir))
        return XT_EXIT_INTERNAL;
    return demo_compare(dir);
}
