/* The SGD core end to end: reproducibility, restart seeds, planted
 * instances, masks, convexity, schedules, optimizers, and errors. */
#include <math.h>
#include "xt_test.h"
#include "xtrain/sgd.h"
#include "../../src/sgd/sgd_impl.h"

/* A planted instance: labels from a teacher with k = 2 ReLUs on n points
 * with integer coordinates in [-3, 3]^2, so the optimum is exactly 0. */
static void planted_instance(xt_instance_t inst, uint64_t *state, long n)
{
    static const int w[2][2] = {{1, 1}, {-1, 2}};
    static const int b[2] = {-1, 1}, a[2] = {1, -1};
    xt_instance_resize(inst, n, 2, 1, NULL);
    for (long i = 0; i < n; i++) {
        int x0 = (int)(xt_test_rand(state) % 7) - 3;
        int x1 = (int)(xt_test_rand(state) % 7) - 3;
        long f = 0;
        for (int j = 0; j < 2; j++) {
            long z = w[j][0] * x0 + w[j][1] * x1 + b[j];
            f += a[j] * (z > 0 ? z : 0);
        }
        mpq_set_si(inst->x[2 * i], x0, 1);
        mpq_set_si(inst->x[2 * i + 1], x1, 1);
        mpq_set_si(inst->y[i], f, 1);
    }
    inst->hidden = 2;
}

static void fast_options(xt_sgd_options *opt)
{
    xt_sgd_options_init(opt);
    opt->optimizer = XT_SGD_ADAM;
    opt->lr = 0.02;
    opt->epochs = 300;
    opt->restarts = 4;
    opt->seed = 7;
}

/* Same seed: bit-identical networks and losses.  Other seed: different. */
static void check_reproducible(const xt_instance_t inst)
{
    xt_sgd_options opt;
    fast_options(&opt);
    opt.batch = 5;
    opt.optimizer = XT_SGD_NESTEROV;
    opt.lr = 0.01;
    xt_sgd_report_t r1, r2, r3;
    xt_sgd_report_init(r1);
    xt_sgd_report_init(r2);
    xt_sgd_report_init(r3);
    XT_CHECK_INT(xt_sgd_run(r1, inst, &opt, NULL), XT_OK);
    XT_CHECK_INT(xt_sgd_run(r2, inst, &opt, NULL), XT_OK);
    opt.seed = 8;
    XT_CHECK_INT(xt_sgd_run(r3, inst, &opt, NULL), XT_OK);

    XT_CHECK_INT(r1->restarts, 4);
    XT_CHECK_INT(r1->best, r2->best);
    XT_CHECK(r1->best_network->count == r2->best_network->count);
    XT_CHECK(!memcmp(r1->best_network->param, r2->best_network->param,
                     r1->best_network->count * sizeof(double)));
    for (long r = 0; r < r1->restarts; r++) {
        XT_CHECK(mpq_equal(r1->loss[r], r2->loss[r]));
        /* Bits, not values: a diverged restart has a NaN loss. */
        XT_CHECK(!memcmp(&r1->info[r].loss, &r2->info[r].loss,
                         sizeof(double)));
        XT_CHECK_INT(r1->info[r].diverged, r2->info[r].diverged);
    }
    int differ = 0;
    for (long r = 0; r < r1->restarts; r++)
        differ += memcmp(&r1->info[r].loss, &r3->info[r].loss,
                         sizeof(double)) != 0;
    if (differ == 0)
        XT_FAIL("seeds 7 and 8 give the same loss in every restart");
    xt_sgd_report_clear(r1);
    xt_sgd_report_clear(r2);
    xt_sgd_report_clear(r3);
}

/* Restart r of a run replays alone from xt_sgd_restart_seed(seed, r). */
static void check_restart_replay(const xt_instance_t inst)
{
    xt_sgd_options opt;
    fast_options(&opt);
    xt_sgd_report_t rep;
    xt_sgd_report_init(rep);
    XT_CHECK_INT(xt_sgd_run(rep, inst, &opt, NULL), XT_OK);

    xt_sgd_data_t data;
    xt_sgd_network_t net;
    xt_sgd_run_info info;
    xt_sgd_data_init(data);
    xt_sgd_network_init(net);
    xt_sgd_data_set_instance(data, inst, NULL);
    long r = rep->best;
    XT_CHECK_INT(xt_sgd_train(net, &info, inst, data, &opt, r,
                              xt_sgd_restart_seed(opt.seed, r), NULL),
                 XT_OK);
    XT_CHECK(!memcmp(net->param, rep->best_network->param,
                     net->count * sizeof(double)));
    XT_CHECK(info.loss == rep->info[r].loss);
    XT_CHECK_INT(info.epochs, 300);

    /* The summary is ordered and the best restart has the minimum. */
    XT_CHECK(mpq_cmp(rep->min, rep->median) <= 0);
    XT_CHECK(mpq_cmp(rep->median, rep->max) <= 0);
    XT_CHECK(mpq_equal(rep->min, rep->loss[rep->best]));
    xt_sgd_network_clear(net);
    xt_sgd_data_clear(data);
    xt_sgd_report_clear(rep);
}

/* SGD finds a near-zero loss (exact loss below 1e-4) on a planted
 * instance in most restarts.  Measured with these settings on 15 planted
 * instances of 60 points: 13 to 20 of 20 restarts succeed. */
static void check_planted(uint64_t *state)
{
    xt_instance_t inst;
    xt_instance_init(inst);
    planted_instance(inst, state, 60);
    xt_sgd_options opt;
    xt_sgd_options_init(&opt);
    opt.optimizer = XT_SGD_ADAM;
    opt.lr = 0.02;
    opt.schedule = XT_SCHEDULE_COSINE;
    opt.epochs = 10000;
    opt.hidden = 6;
    opt.restarts = 20;
    opt.seed = 2024;
    xt_sgd_report_t rep;
    xt_sgd_report_init(rep);
    XT_CHECK_INT(xt_sgd_run(rep, inst, &opt, NULL), XT_OK);
    mpq_t tol;
    mpq_init(tol);
    mpq_set_ui(tol, 1, 10000);
    int near = 0;
    for (long r = 0; r < rep->restarts; r++)
        near += !rep->info[r].diverged && mpq_cmp(rep->loss[r], tol) < 0;
    if (near < 11)
        XT_FAIL("only %d of 20 restarts reached loss < 1e-4 (best %g)",
                near, mpq_get_d(rep->min));
    /* The exact loss of the best network agrees with its double loss. */
    double dl = rep->info[rep->best].loss;
    XT_CHECK(fabs(mpq_get_d(rep->loss[rep->best]) - dl) <=
             1e-9 * fmax(dl, 1e-12));
    mpq_clear(tol);
    xt_sgd_report_clear(rep);
    xt_instance_clear(inst);
}

/* Exact loss of a hand-made double network on a two-point instance:
 * f(x) = 0.5 * relu(0.25 x - 0.125); at x = 1, 2 the outputs are 1/16 and
 * 3/16, the labels 0 and 1, so the l2 loss is 1/256 + 169/256 = 85/128. */
static void check_exact_loss(void)
{
    xt_instance_t inst;
    xt_instance_init(inst);
    xt_instance_resize(inst, 2, 1, 1, NULL);
    mpq_set_ui(inst->x[0], 1, 1);
    mpq_set_ui(inst->x[1], 2, 1);
    mpq_set_ui(inst->y[1], 1, 1);
    xt_sgd_network_t net;
    xt_sgd_network_init(net);
    xt_sgd_network_resize(net, 1, 1, 1, 0, NULL);
    net->w[0] = 0.25;
    net->b[0] = -0.125;
    net->a[0] = 0.5;
    mpq_t loss;
    mpq_init(loss);
    XT_CHECK_INT(xt_sgd_exact_loss(loss, net, inst, XT_LOSS_L2, NULL),
                 XT_OK);
    XT_CHECK_RAT(loss, "85/128");
    XT_CHECK_INT(xt_sgd_exact_loss(loss, net, inst, XT_LOSS_LINF, NULL),
                 XT_OK);
    XT_CHECK_RAT(loss, "13/16");
    /* 0.1 is not 1/10 in binary: the exact value shows it. */
    net->a[0] = 0.1;
    net->w[0] = 1;
    net->b[0] = 0;
    XT_CHECK_INT(xt_sgd_exact_loss(loss, net, inst, XT_LOSS_L1, NULL),
                 XT_OK);
    /* 1 - 0.1d with 0.1d = 3602879701896397 / 2^55. */
    XT_CHECK_RAT(loss, "32425917317067571/36028797018963968");
    net->a[0] = NAN;
    xt_error_t err;
    XT_CHECK_INT(xt_sgd_exact_loss(loss, net, inst, XT_LOSS_L1, &err),
                 XT_ERR_INPUT);
    mpq_clear(loss);
    xt_sgd_network_clear(net);
    xt_instance_clear(inst);
}

/* Masked parameters keep their initial values; a convex instance keeps
 * every output weight at +1; the Fisher mask trains exactly q. */
static void check_masks(xt_instance_t inst)
{
    xt_sgd_options opt;
    fast_options(&opt);
    opt.hidden = 3;
    xt_sgd_data_t data;
    xt_sgd_network_t init, net;
    xt_sgd_run_info info;
    xt_rng_t rng;
    xt_sgd_data_init(data);
    xt_sgd_network_init(init);
    xt_sgd_network_init(net);
    xt_sgd_data_set_instance(data, inst, NULL);
    uint64_t seed = xt_sgd_restart_seed(opt.seed, 0);

    /* Parameters: w 6, b 3, a 3.  Train only b and a. */
    unsigned char mask[12] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    opt.mask = mask;
    xt_rng_seed(&rng, seed);
    xt_sgd_initialize(init, inst, &opt, &rng, NULL);
    XT_CHECK_INT(xt_sgd_train(net, &info, inst, data, &opt, 0, seed, NULL),
                 XT_OK);
    XT_CHECK(!memcmp(net->w, init->w, 6 * sizeof(double)));
    XT_CHECK(memcmp(net->b, init->b, 3 * sizeof(double)) != 0);

    /* Fisher: exactly two parameters change. */
    opt.mask = NULL;
    opt.fisher_top = 2;
    XT_CHECK_INT(xt_sgd_train(net, &info, inst, data, &opt, 0, seed, NULL),
                 XT_OK);
    int changed = 0;
    for (size_t p = 0; p < net->count; p++)
        changed += net->param[p] != init->param[p];
    XT_CHECK_INT(changed, 2);

    /* xt_sgd_mask_fisher agrees with a direct computation. */
    unsigned char fm[12];
    memset(fm, 1, sizeof fm);
    fm[0] = 0;
    XT_CHECK_INT(xt_sgd_mask_fisher(fm, init, data, XT_LOSS_L2, 0.01, 4,
                                    NULL), XT_OK);
    xt_sgd_workspace_t ws;
    xt_sgd_workspace_init(ws);
    xt_sgd_workspace_resize(ws, 3, 1, 1, NULL);
    double fisher[12] = {0}, g[12];
    for (long i = 0; i < data->n; i++) {
        xt_sgd_objective(g, init, data, &i, 1, XT_LOSS_L2, 0.01, ws);
        for (int p = 0; p < 12; p++)
            fisher[p] += g[p] * g[p];
    }
    int kept_count = 0;
    for (int p = 0; p < 12; p++) {
        kept_count += fm[p];
        int above = 0;  /* candidates with a strictly larger score */
        for (int q = 1; q < 12; q++)
            above += fisher[q] > fisher[p];
        if (p > 0)
            XT_CHECK(fm[p] == (above < 4));
    }
    XT_CHECK_INT(kept_count, 4);
    XT_CHECK_INT(fm[0], 0);
    xt_sgd_workspace_clear(ws);

    /* Convex: output weights start and stay at +1. */
    opt.fisher_top = 0;
    inst->convex = 1;
    XT_CHECK_INT(xt_sgd_train(net, &info, inst, data, &opt, 0, seed, NULL),
                 XT_OK);
    for (int j = 0; j < 3; j++)
        XT_CHECK(net->a[j] == 1.0);
    XT_CHECK(memcmp(net->w, init->w, 6 * sizeof(double)) != 0);
    inst->convex = 0;

    xt_sgd_network_clear(init);
    xt_sgd_network_clear(net);
    xt_sgd_data_clear(data);
}

static void check_schedules(void)
{
    xt_sgd_options opt;
    xt_sgd_options_init(&opt);
    opt.lr = 1;
    opt.epochs = 100;
    XT_CHECK(xt_sgd_learning_rate(&opt, 57) == 1.0);
    opt.schedule = XT_SCHEDULE_STEP;
    opt.step_size = 10;
    opt.decay = 0.5;
    XT_CHECK(xt_sgd_learning_rate(&opt, 9) == 1.0);
    XT_CHECK(xt_sgd_learning_rate(&opt, 25) == 0.25);
    opt.step_size = 0;  /* default: epochs / 3 = 33 */
    XT_CHECK(xt_sgd_learning_rate(&opt, 32) == 1.0);
    XT_CHECK(xt_sgd_learning_rate(&opt, 33) == 0.5);
    opt.schedule = XT_SCHEDULE_COSINE;
    opt.min_lr = 0.5;
    XT_CHECK(xt_sgd_learning_rate(&opt, 0) == 1.0);
    XT_CHECK(fabs(xt_sgd_learning_rate(&opt, 50) - 0.75) < 1e-15);
    XT_CHECK(xt_sgd_learning_rate(&opt, 99) > 0.5);
    opt.schedule = XT_SCHEDULE_WARMUP;
    opt.warmup = 4;
    XT_CHECK(xt_sgd_learning_rate(&opt, 0) == 0.25);
    XT_CHECK(xt_sgd_learning_rate(&opt, 3) == 1.0);
    XT_CHECK(xt_sgd_learning_rate(&opt, 80) == 1.0);
    opt.schedule = XT_SCHEDULE_ANNEAL;
    opt.hold = 30;
    opt.decay = 0.125;
    XT_CHECK(xt_sgd_learning_rate(&opt, 29) == 1.0);
    XT_CHECK(xt_sgd_learning_rate(&opt, 30) == 0.125);
    XT_CHECK(xt_sgd_learning_rate(&opt, 99) == 0.125);
}

/* Two Adam steps from 1 as in Kingma and Ba's Algorithm 1, with the
 * bias-corrected moments written out. */
static double adam_by_hand(double g1, double g2, double lr)
{
    double m1 = 0.1 * g1, v1 = 0.001 * g1 * g1;
    double m2 = 0.9 * m1 + 0.1 * g2, v2 = 0.999 * v1 + 0.001 * g2 * g2;
    double step1 = (m1 / 0.1) / (sqrt(v1 / 0.001) + 1e-8);
    double step2 = (m2 / (1 - 0.81)) / (sqrt(v2 / (1 - 0.999 * 0.999)) +
                                        1e-8);
    return 1 - lr * step1 - lr * step2;
}

/* Two updates of each optimizer on one parameter, worked by hand. */
static void check_optimizers(void)
{
    xt_sgd_options opt;
    xt_sgd_options_init(&opt);
    opt.momentum = 0.5;
    double g1 = 2, g2 = 4;
    for (int kind = 0; kind < 4; kind++) {
        xt_sgd_state st;
        double p = 1, g;
        XT_CHECK_INT(xt_sgd_state_init(&st, kind, 1, NULL), XT_OK);
        g = g1;
        xt_sgd_state_step(&st, &p, &g, NULL, 0.125, &opt);
        g = g2;
        xt_sgd_state_step(&st, &p, &g, NULL, 0.125, &opt);
        if (kind == XT_SGD_PLAIN)       /* 1 - (2 + 4) / 8 */
            XT_CHECK(p == 0.25);
        if (kind == XT_SGD_MOMENTUM)    /* v = 2, then 5: 1 - 7/8 */
            XT_CHECK(p == 0.125);
        if (kind == XT_SGD_NESTEROV)    /* steps 2 + 1 and 4 + 2.5 */
            XT_CHECK(p == 1 - 9.5 / 8);
        if (kind == XT_SGD_ADAM)
            XT_CHECK(fabs(p - adam_by_hand(g1, g2, 0.125)) < 1e-15);
        xt_sgd_state_clear(&st);
    }
    /* A zero mask entry freezes its parameter. */
    xt_sgd_state st;
    double p[2] = {1, 1}, g[2] = {1, 1};
    unsigned char mask[2] = {0, 1};
    xt_sgd_state_init(&st, XT_SGD_PLAIN, 2, NULL);
    xt_sgd_state_step(&st, p, g, mask, 0.5, &opt);
    XT_CHECK(p[0] == 1 && p[1] == 0.5);
    xt_sgd_state_clear(&st);
}

static void check_errors(xt_instance_t inst)
{
    xt_sgd_options opt;
    fast_options(&opt);
    xt_error_t err;
    xt_sgd_report_t rep;
    xt_sgd_report_init(rep);

    inst->activation = XT_ACT_THRESHOLD;
    XT_CHECK_INT(xt_sgd_run(rep, inst, &opt, &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "threshold") != NULL);
    inst->activation = XT_ACT_RELU;
    inst->loss = XT_LOSS_ZERO_ONE;
    XT_CHECK_INT(xt_sgd_run(rep, inst, &opt, &err), XT_ERR_INPUT);
    inst->loss = XT_LOSS_L2;
    inst->hidden = 0;
    XT_CHECK_INT(xt_sgd_run(rep, inst, &opt, &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "hidden") != NULL);
    inst->hidden = 2;
    opt.momentum = 1;
    XT_CHECK_INT(xt_sgd_run(rep, inst, &opt, &err), XT_ERR_INPUT);
    opt.momentum = 0.9;
    opt.lr = NAN;
    XT_CHECK_INT(xt_sgd_run(rep, inst, &opt, &err), XT_ERR_INPUT);
    opt.lr = 0.01;
    opt.restarts = 0;
    XT_CHECK_INT(xt_sgd_run(rep, inst, &opt, &err), XT_ERR_INPUT);

    /* A huge learning rate diverges; the run still reports. */
    opt.restarts = 2;
    opt.optimizer = XT_SGD_PLAIN;
    opt.lr = 1e200;
    XT_CHECK_INT(xt_sgd_run(rep, inst, &opt, &err), XT_OK);
    XT_CHECK(rep->info[0].diverged && rep->info[1].diverged);
    XT_CHECK_INT(rep->finite, 0);
    XT_CHECK_INT(rep->best, -1);
    xt_sgd_report_clear(rep);
}

/* Names round-trip through the parsers. */
static void check_names(void)
{
    for (int i = 0; i < 4; i++) {
        xt_sgd_optimizer o;
        XT_CHECK_INT(xt_sgd_optimizer_parse(&o, xt_sgd_optimizer_name(i)),
                     0);
        XT_CHECK_INT(o, i);
    }
    for (int i = 0; i < 5; i++) {
        xt_sgd_schedule s;
        XT_CHECK_INT(xt_sgd_schedule_parse(&s, xt_sgd_schedule_name(i)), 0);
        XT_CHECK_INT(s, i);
    }
    xt_sgd_init init;
    XT_CHECK_INT(xt_sgd_init_parse(&init, "he-uniform"), 0);
    XT_CHECK_INT(init, XT_INIT_HE_UNIFORM);
    XT_CHECK_INT(xt_sgd_init_parse(&init, "file"), -1);
    XT_CHECK_INT(xt_sgd_optimizer_parse(NULL, "rmsprop"), -1);
}

int main(void)
{
    uint64_t state = xt_test_seed();
    xt_instance_t inst;
    xt_instance_init(inst);
    planted_instance(inst, &state, 30);

    check_reproducible(inst);
    check_restart_replay(inst);
    check_planted(&state);
    check_exact_loss();
    check_masks(inst);
    check_schedules();
    check_optimizers();
    check_errors(inst);
    check_names();
    xt_instance_clear(inst);
    return xt_test_finish("test_sgd_train");
}
