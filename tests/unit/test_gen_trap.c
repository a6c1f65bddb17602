/* Tests of the SGD-trap search, which runs the exact solver and SGD on
 * planted candidates: a budget too small for SGD makes the first
 * candidate a trap, an impossible demand makes the search fail with
 * every candidate recorded, and a found trap carries the solver's proven
 * optimum as its answer, re-evaluated here. */
#include "xt_test.h"
#include "xtrain/gen.h"

static void search_options(xt_gen_options *opt, uint64_t seed)
{
    opt->seed = seed;
    opt->variant = "search";
    opt->d = 1;
    opt->k = 2;
    opt->n = 5;
    opt->restarts = 4;
    opt->time_limit = 30;
}

/* One epoch of Adam cannot fit anything: every restart fails. */
static void test_search_finds(uint64_t seed)
{
    xt_gen_options opt;
    xt_gen_result_t res;
    xt_error_t err;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    search_options(&opt, seed);
    opt.epochs = 1;
    opt.min_failure = 1;
    int rc = xt_gen(res, XT_GEN_SGD_TRAP, &opt, &err);
    XT_CHECK_INT(rc, XT_OK);
    if (rc == XT_OK) {
        char want[64];
        snprintf(want, sizeof want, "kept candidate seed %llu:",
                 (unsigned long long)seed);
        XT_CHECK(res->notes && strstr(res->notes, want));
        XT_CHECK(res->has_answer);
        XT_CHECK(res->answer_optimal);
        XT_CHECK_INT(res->instance->n, 5);
        XT_CHECK_INT(res->instance->hidden, 2);

        /* The planted teacher fits exactly, so the optimum is 0 and the
         * instance has target 0. */
        mpq_t loss;
        mpq_init(loss);
        XT_CHECK_INT(xt_network_loss(loss, NULL, res->answer, res->instance,
                                     res->instance->loss, &err), XT_OK);
        XT_CHECK_RAT(loss, "0");
        XT_CHECK_RAT(res->answer_loss, "0");
        XT_CHECK(res->instance->has_target);
        mpq_clear(loss);
    }
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

/* With 300 epochs SGD fits some restarts of these small instances, so a
 * search that demands every restart to fail may find nothing.  Either
 * way the notes list each candidate tried. */
static void test_search_records(uint64_t seed)
{
    xt_gen_options opt;
    xt_gen_result_t res;
    xt_error_t err;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    search_options(&opt, seed);
    opt.epochs = 300;
    opt.tries = 2;
    opt.min_failure = 1;
    int rc = xt_gen(res, XT_GEN_SGD_TRAP, &opt, &err);
    XT_CHECK(rc == XT_OK || rc == XT_ERR_LIMIT);
    char want[64];
    snprintf(want, sizeof want, "candidate seed %llu: optimum ",
             (unsigned long long)seed);
    XT_CHECK(res->notes && strstr(res->notes, want));
    if (rc == XT_ERR_LIMIT) {
        snprintf(want, sizeof want, "candidate seed %llu: optimum ",
                 (unsigned long long)seed + 1);
        XT_CHECK(strstr(res->notes, want));
        XT_CHECK(strstr(err.message, "no trap among 2 candidates"));
    }
    opt.tries = 0;
    XT_CHECK_INT(xt_gen(res, XT_GEN_SGD_TRAP, &opt, &err), XT_ERR_INPUT);
    opt.variant = "trapdoor";
    XT_CHECK_INT(xt_gen(res, XT_GEN_SGD_TRAP, &opt, &err), XT_ERR_INPUT);
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

int main(void)
{
    uint64_t seed = xt_test_seed();
    test_search_finds(seed);
    test_search_records(seed);
    return xt_test_finish("test_gen_trap");
}
