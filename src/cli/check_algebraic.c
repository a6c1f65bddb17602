/* xtrain check INSTANCE NETWORK for networks with algebraic weights:
 * files whose weights include (root-obj POLY INDEX) terms.  The loss is
 * computed exactly with real algebraic numbers and enclosed with MPFR
 * intervals (xt_algebraic_network_loss); the two must agree. */
#include <stdlib.h>
#include "cli.h"
#include "xtrain/json.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"
#include "xtrain/smt.h"

/* Digits printed after the decimal point of irrational values. */
#define DECIMALS 20

static void print_json(const xt_instance_t inst,
                       const xt_algebraic_network_t net,
                       const xt_algebraic_loss_t rep, int conforms,
                       const char *why)
{
    char *loss = xt_algebraic_to_string(rep->loss);

    printf("{\"loss\": ");
    xt_json_write_string(stdout, loss ? loss : "?");
    printf(", \"loss_decimal\": \"");
    xt_algebraic_print_decimal(stdout, rep->loss, DECIMALS);
    printf("\", \"loss_kind\": \"%s\", \"exact\": true",
           xt_loss_name(inst->loss));
    printf(", \"irrational_weights\": %ld",
           xt_algebraic_network_irrational(net));
    if (rep->precision > 0)
        printf(", \"interval_bits\": %ld", rep->precision);
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
    printf(", \"meets_target\": %s}\n",
           conforms && (!inst->has_target || rep->meets_target) ? "true"
                                                                : "false");
    free(loss);
}

static void print_text(const xt_instance_t inst,
                       const xt_algebraic_network_t net,
                       const xt_algebraic_loss_t rep, int conforms,
                       const char *why)
{
    long irrational = xt_algebraic_network_irrational(net);

    printf("loss (%s): ", xt_loss_name(inst->loss));
    xt_algebraic_print(stdout, rep->loss);
    printf(" = ");
    xt_algebraic_print_decimal(stdout, rep->loss, DECIMALS);
    printf("\n");
    if (irrational > 0 && xt_verbosity >= 1) {
        printf("%ld irrational weight%s: loss computed exactly with real "
               "algebraic numbers", irrational, irrational == 1 ? "" : "s");
        if (rep->precision > 0)
            printf(" and enclosed by MPFR intervals at %ld bits",
                   rep->precision);
        printf("\n");
    }
    if (!conforms)
        printf("network does not satisfy the instance: %s\n", why);
    if (inst->has_target) {
        printf("target ");
        xt_rat_print(stdout, inst->target);
        printf(": %s\n", conforms && rep->meets_target ? "met" : "not met");
    }
}

int xt_check_algebraic_network(const xt_instance_t inst, const char *path,
                               int json)
{
    xt_algebraic_network_t net;
    xt_algebraic_loss_t rep;
    xt_algebraic_t target;
    xt_error_t err;
    char why[XT_ERROR_MAX] = "";
    int rc = XT_EXIT_USAGE, conforms, status;

    xt_error_clear(&err);
    xt_algebraic_network_init(net);
    xt_algebraic_loss_init(rep);
    xt_algebraic_init(target);
    status = xt_algebraic_network_read_file(net, path, &err);
    if (status == XT_OK && (net->d != inst->d || net->m != inst->m)) {
        xt_error_set(&err, "%s: network has %d inputs and %d outputs, the "
                     "instance %d and %d", path, net->d, net->m, inst->d,
                     inst->m);
        status = XT_ERR_INPUT;
    }
    if (status == XT_OK) {
        conforms = xt_algebraic_network_conforms(net, inst, &err) == XT_OK;
        if (!conforms)
            snprintf(why, sizeof why, "%s", err.message);
        xt_algebraic_set_q(target, inst->target);
        status = xt_algebraic_network_loss(rep, net, inst, inst->loss,
                                           inst->has_target ? target : NULL,
                                           0, &err);
        if (status == XT_OK && json)
            print_json(inst, net, rep, conforms, why);
        else if (status == XT_OK)
            print_text(inst, net, rep, conforms, why);
        if (status == XT_OK)
            rc = conforms && (!inst->has_target || rep->meets_target)
                     ? XT_EXIT_OK : XT_EXIT_NO;
    }
    if (status != XT_OK) {
        fprintf(stderr, "%s\n", err.message);
        rc = status == XT_ERR_INTERNAL ? XT_EXIT_INTERNAL : XT_EXIT_USAGE;
    }
    xt_algebraic_clear(target);
    xt_algebraic_loss_clear(rep);
    xt_algebraic_network_clear(net);
    return rc;
}
