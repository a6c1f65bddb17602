/* Tests of the drawing module: the exact linear pieces (d = 1) and regions
 * (d = 2) against hand-derived values and against exact evaluation at
 * random points, and the SVG writers' structure and errors. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include "xt_test.h"
#include "xtrain/draw.h"
#include "xtrain/network.h"

static uint64_t rng;

static void set_network(xt_network_t net, const char *text)
{
    xt_error_t err;
    if (xt_network_read_string(net, text, "test", &err) != XT_OK)
        XT_FAIL("network does not parse: %s", err.message);
}

/* The hat relu(-x-1) + relu(1-x) - relu(-2x), an exact fit of hat.txt. */
static const char hat_net[] =
    "xtrain-network 1\ninputs 1\nhidden 3\noutputs 1\nactivation relu\n"
    "output-bias no\nneuron -1 -1 1\nneuron -1 1 1\nneuron -2 0 -1\n";

static void test_hat_pieces(void)
{
    xt_network_t net;
    xt_piece_list_t pieces;
    mpq_t lo, hi;
    xt_error_t err;
    xt_network_init(net);
    xt_piece_list_init(pieces);
    mpq_inits(lo, hi, NULL);
    set_network(net, hat_net);
    mpq_set_si(lo, -3, 1);
    mpq_set_si(hi, 3, 1);
    XT_CHECK_INT(xt_draw_pieces(pieces, net, 0, lo, hi, &err), XT_OK);
    XT_CHECK_INT(pieces->count, 4);
    if (pieces->count == 4) {
        /* 0 left of -1, 1 + x on [-1, 0], 1 - x on [0, 1], 0 right. */
        const char *bounds[5] = {"-3", "-1", "0", "1", "3"};
        const char *slopes[4] = {"0", "1", "-1", "0"};
        const char *intercepts[4] = {"0", "1", "1", "0"};
        for (int i = 0; i < 4; i++) {
            XT_CHECK_RAT(pieces->pieces[i].lo, bounds[i]);
            XT_CHECK_RAT(pieces->pieces[i].hi, bounds[i + 1]);
            XT_CHECK_RAT(pieces->pieces[i].slope, slopes[i]);
            XT_CHECK_RAT(pieces->pieces[i].intercept, intercepts[i]);
        }
    }
    XT_CHECK_INT(xt_draw_pieces(pieces, net, 1, lo, hi, &err),
                 XT_ERR_INPUT);
    XT_CHECK_INT(xt_draw_pieces(pieces, net, 0, hi, lo, &err),
                 XT_ERR_INPUT);
    mpq_clears(lo, hi, NULL);
    xt_piece_list_clear(pieces);
    xt_network_clear(net);
}

/* Twice the signed area of a polygon (shoelace formula). */
static void twice_area(mpq_t out, const xt_region *r)
{
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(out, 0, 1);
    for (int i = 0; i < r->count; i++) {
        int j = (i + 1) % r->count;
        mpq_mul(t, r->x[i], r->y[j]);
        mpq_add(out, out, t);
        mpq_mul(t, r->x[j], r->y[i]);
        mpq_sub(out, out, t);
    }
    mpq_clear(t);
}

static void test_xor_regions(void)
{
    xt_network_t net;
    xt_region_list_t regions;
    mpq_t zero, one, area;
    xt_error_t err;
    xt_network_init(net);
    xt_region_list_init(regions);
    mpq_inits(zero, one, area, NULL);
    mpq_set_ui(one, 1, 1);
    /* relu(x - y) + relu(y - x) = |x - y|: both breaklines are x = y. */
    set_network(net, "xtrain-network 1\ninputs 2\nhidden 2\n"
                "activation relu\nneuron 1 -1 0 1\nneuron -1 1 0 1\n");
    XT_CHECK_INT(xt_draw_regions(regions, net, 0, zero, one, zero, one,
                                 &err), XT_OK);
    XT_CHECK_INT(regions->count, 2);
    for (long q = 0; q < regions->count; q++) {
        const xt_region *r = &regions->regions[q];
        XT_CHECK_INT(r->count, 3);
        twice_area(area, r);
        XT_CHECK_RAT(area, "1");
        XT_CHECK_RAT(r->g0, "0");
        /* Below the diagonal f = x - y, above it f = y - x. */
        int below = mpq_cmp(r->x[0], r->y[0]) > 0 ||
                    mpq_cmp(r->x[1], r->y[1]) > 0 ||
                    mpq_cmp(r->x[2], r->y[2]) > 0;
        XT_CHECK_RAT(r->gx, below ? "1" : "-1");
        XT_CHECK_RAT(r->gy, below ? "-1" : "1");
    }
    mpq_clears(zero, one, area, NULL);
    xt_region_list_clear(regions);
    xt_network_clear(net);
}

/* A random small rational p/q with |p| <= 6, 1 <= q <= 3. */
static void random_rational(mpq_t out)
{
    long p = (long)(xt_test_rand(&rng) % 13) - 6;
    unsigned long q = 1 + xt_test_rand(&rng) % 3;
    mpq_set_si(out, p, q);
    mpq_canonicalize(out);
}

static void random_network(xt_network_t net, int d)
{
    int k = 1 + (int)(xt_test_rand(&rng) % 4);
    int m = 1 + (int)(xt_test_rand(&rng) % 2);
    xt_network_resize(net, d, k, m, NULL);
    int kind = (int)(xt_test_rand(&rng) % 5);
    net->activation = kind == 3 ? XT_ACT_THRESHOLD
                      : kind == 4 ? XT_ACT_LINEAR : XT_ACT_RELU;
    net->threshold_output = kind == 3 && xt_test_rand(&rng) % 2;
    net->has_output_bias = (int)(xt_test_rand(&rng) % 2);
    for (int i = 0; i < k * d; i++)
        random_rational(net->w[i]);
    for (int j = 0; j < k; j++)
        random_rational(net->b[j]);
    for (int i = 0; i < m * k; i++)
        random_rational(net->a[i]);
    for (int o = 0; o < m; o++)
        if (net->has_output_bias)
            random_rational(net->c[o]);
}

/* Whether p lies on the breakline of a neuron that feeds output o. */
static int on_breakline(const xt_network_t net, int o, const mpq_t *p)
{
    mpq_t z, t;
    mpq_inits(z, t, NULL);
    int on = 0;
    for (int j = 0; j < net->k && !on; j++) {
        if (mpq_sgn(net->a[o * net->k + j]) == 0)
            continue;
        mpq_set(z, net->b[j]);
        for (int c = 0; c < net->d; c++) {
            mpq_mul(t, net->w[j * net->d + c], p[c]);
            mpq_add(z, z, t);
        }
        on = mpq_sgn(z) == 0;
    }
    mpq_clears(z, t, NULL);
    return on;
}

/* Whether the polygon turns left (or goes straight) at every vertex. */
static int is_convex(const xt_region *r)
{
    mpq_t cross, t;
    mpq_inits(cross, t, NULL);
    int convex = 1;
    for (int i = 0; i < r->count; i++) {
        int j = (i + 1) % r->count, l = (i + 2) % r->count;
        /* (v_j - v_i) x (v_l - v_j) */
        mpq_sub(cross, r->x[j], r->x[i]);
        mpq_sub(t, r->y[l], r->y[j]);
        mpq_mul(cross, cross, t);
        mpq_t u;
        mpq_init(u);
        mpq_sub(t, r->y[j], r->y[i]);
        mpq_sub(u, r->x[l], r->x[j]);
        mpq_mul(t, t, u);
        mpq_clear(u);
        mpq_sub(cross, cross, t);
        if (mpq_sgn(cross) < 0)
            convex = 0;
    }
    mpq_clears(cross, t, NULL);
    return convex;
}

/* -1 outside the convex polygon, 0 on its boundary, 1 inside. */
static int locate(const xt_region *r, const mpq_t *p)
{
    mpq_t cross, t;
    mpq_inits(cross, t, NULL);
    int inside = 1;
    for (int i = 0; i < r->count && inside >= 0; i++) {
        int j = (i + 1) % r->count;
        /* (v_j - v_i) x (p - v_i) */
        mpq_sub(cross, r->x[j], r->x[i]);
        mpq_sub(t, p[1], r->y[i]);
        mpq_mul(cross, cross, t);
        mpq_sub(t, r->y[j], r->y[i]);
        mpq_t u;
        mpq_init(u);
        mpq_sub(u, p[0], r->x[i]);
        mpq_mul(t, t, u);
        mpq_clear(u);
        mpq_sub(cross, cross, t);
        int s = mpq_sgn(cross);
        if (s < 0)
            inside = -1;
        else if (s == 0)
            inside = 0;
    }
    mpq_clears(cross, t, NULL);
    return inside;
}

/* Region values agree with exact evaluation at random points; the areas
 * tile the box; every region is convex and counter-clockwise. */
static void check_regions_random(const xt_network_t net, int o,
                                 const xt_region_list_t regions,
                                 mpq_t box[4])
{
    mpq_t total, area, want, p[2], v, t;
    mpq_inits(total, area, want, p[0], p[1], v, t, NULL);
    mpq_t *out = xt_rat_array_new((size_t)net->m);
    for (long q = 0; q < regions->count; q++) {
        twice_area(area, &regions->regions[q]);
        XT_CHECK(mpq_sgn(area) > 0);
        XT_CHECK(is_convex(&regions->regions[q]));
        mpq_add(total, total, area);
    }
    mpq_sub(want, box[1], box[0]);
    mpq_sub(t, box[3], box[2]);
    mpq_mul(want, want, t);
    mpq_mul_2exp(want, want, 1);
    XT_CHECK(mpq_equal(total, want));

    for (int trial = 0; trial < 40; trial++) {
        for (int c = 0; c < 2; c++) {
            /* p_c = lo + (hi - lo) * u / 97 with u in 0..97 */
            mpq_set_ui(t, xt_test_rand(&rng) % 98, 97);
            mpq_sub(p[c], box[2 * c + 1], box[2 * c]);
            mpq_mul(p[c], p[c], t);
            mpq_add(p[c], p[c], box[2 * c]);
        }
        if (on_breakline(net, o, p))
            continue;
        xt_network_eval(out, net, p);
        int inside = 0, boundary = 0;
        for (long q = 0; q < regions->count; q++) {
            const xt_region *r = &regions->regions[q];
            int where = locate(r, p);
            if (where < 0)
                continue;
            inside += where > 0;
            boundary += where == 0;
            mpq_mul(v, r->gx, p[0]);
            mpq_mul(t, r->gy, p[1]);
            mpq_add(v, v, t);
            mpq_add(v, v, r->g0);
            /* A threshold output jumps on its own boundary, so compare
             * only strictly inside there. */
            if (where > 0 || !net->threshold_output)
                XT_CHECK(mpq_equal(v, out[o]));
        }
        XT_CHECK(inside + boundary >= 1);
        XT_CHECK(inside <= 1);
    }
    xt_rat_array_free(out, (size_t)net->m);
    mpq_clears(total, area, want, p[0], p[1], v, t, NULL);
}

static void test_random_regions(void)
{
    xt_network_t net;
    xt_region_list_t regions;
    xt_error_t err;
    mpq_t box[4];
    xt_network_init(net);
    xt_region_list_init(regions);
    for (int c = 0; c < 4; c++)
        mpq_init(box[c]);
    long rounds = xt_test_scale(150);
    for (long round = 0; round < rounds; round++) {
        random_network(net, 2);
        int o = (int)(xt_test_rand(&rng) % (uint64_t)net->m);
        do {
            for (int c = 0; c < 4; c++)
                random_rational(box[c]);
        } while (mpq_cmp(box[0], box[1]) >= 0 ||
                 mpq_cmp(box[2], box[3]) >= 0);
        int status = xt_draw_regions(regions, net, o, box[0], box[1],
                                     box[2], box[3], &err);
        XT_CHECK_INT(status, XT_OK);
        if (status == XT_OK)
            check_regions_random(net, o, regions, box);
    }
    for (int c = 0; c < 4; c++)
        mpq_clear(box[c]);
    xt_region_list_clear(regions);
    xt_network_clear(net);
}

static void test_random_pieces(void)
{
    xt_network_t net;
    xt_piece_list_t pieces;
    xt_error_t err;
    mpq_t lo, hi, x, v, t;
    xt_network_init(net);
    xt_piece_list_init(pieces);
    mpq_inits(lo, hi, x, v, t, NULL);
    long rounds = xt_test_scale(200);
    for (long round = 0; round < rounds; round++) {
        random_network(net, 1);
        int o = (int)(xt_test_rand(&rng) % (uint64_t)net->m);
        mpq_set_si(lo, -4, 1);
        mpq_set_si(hi, 4, 1);
        if (xt_draw_pieces(pieces, net, o, lo, hi, &err) != XT_OK) {
            XT_FAIL("xt_draw_pieces: %s", err.message);
            continue;
        }
        XT_CHECK(mpq_equal(pieces->pieces[0].lo, lo));
        XT_CHECK(mpq_equal(pieces->pieces[pieces->count - 1].hi, hi));
        mpq_t *out = xt_rat_array_new((size_t)net->m);
        for (long p = 0; p < pieces->count; p++) {
            const xt_piece *piece = &pieces->pieces[p];
            XT_CHECK(mpq_cmp(piece->lo, piece->hi) < 0);
            if (p > 0)
                XT_CHECK(mpq_equal(piece->lo, pieces->pieces[p - 1].hi));
            /* The midpoint and a point at a third inside the piece. */
            for (int s = 2; s <= 3; s++) {
                mpq_sub(x, piece->hi, piece->lo);
                mpq_set_ui(t, 1, (unsigned long)s);
                mpq_mul(x, x, t);
                mpq_add(x, x, piece->lo);
                xt_network_eval(out, net, &x);
                mpq_mul(v, piece->slope, x);
                mpq_add(v, v, piece->intercept);
                XT_CHECK(mpq_equal(v, out[o]));
            }
        }
        xt_rat_array_free(out, (size_t)net->m);
    }
    mpq_clears(lo, hi, x, v, t, NULL);
    xt_piece_list_clear(pieces);
    xt_network_clear(net);
}

static int count_text(const char *text, const char *needle)
{
    int count = 0;
    for (const char *s = strstr(text, needle); s; s = strstr(s + 1, needle))
        count++;
    return count;
}

static char *render(int *status, const xt_instance_t inst,
                    const xt_draw_item *items, int count,
                    const xt_draw_options *opt)
{
    char *text = NULL;
    size_t len = 0;
    xt_error_t err;
    FILE *f = open_memstream(&text, &len);
    *status = xt_draw_svg(f, inst, items, count, opt, &err);
    fclose(f);
    return text;
}

static void test_svg_output(void)
{
    xt_instance_t inst;
    xt_network_t net;
    xt_error_t err;
    xt_draw_options opt;
    int status;
    xt_instance_init(inst);
    xt_network_init(net);
    xt_draw_options_init(&opt);

    xt_instance_read_string(inst, "xtrain-instance 1\ninputs 2\ndata 4\n"
                            "0 0 0\n1 0 1\n0 1 1\n1 1 0\n", "xor", &err);
    set_network(net, "xtrain-network 1\ninputs 2\nhidden 2\n"
                "activation relu\nneuron 1 -1 0 1\nneuron -1 1 0 1\n");
    xt_draw_item item = {"optimum <&>", net};
    char *svg = render(&status, inst, &item, 1, &opt);
    XT_CHECK_INT(status, XT_OK);
    XT_CHECK(strncmp(svg, "<?xml", 5) == 0);
    XT_CHECK(strstr(svg, "</svg>\n") != NULL);
    XT_CHECK(strstr(svg, "optimum &lt;&amp;&gt;") != NULL);
    XT_CHECK(strstr(svg, "loss (l2) = 0") != NULL);
    XT_CHECK_INT(count_text(svg, "<polygon"), 2);
    XT_CHECK_INT(count_text(svg, "<circle"), 4);
    free(svg);

    opt.inline_svg = 1;
    svg = render(&status, inst, NULL, 0, &opt);
    XT_CHECK_INT(status, XT_OK);
    XT_CHECK(strncmp(svg, "<svg", 4) == 0);
    XT_CHECK_INT(count_text(svg, "<polygon"), 0);
    free(svg);

    opt.output = 1;
    svg = render(&status, inst, NULL, 0, &opt);
    XT_CHECK_INT(status, XT_ERR_INPUT);
    free(svg);
    opt.output = 0;

    xt_instance_read_string(inst, "xtrain-instance 1\ninputs 1\nhidden 3\n"
                            "data 5\n-2 0\n-1 0\n0 1\n1 0\n2 0\n", "hat",
                            &err);
    svg = render(&status, inst, &item, 1, &opt);
    XT_CHECK_INT(status, XT_ERR_INPUT);   /* a d = 2 network */
    free(svg);
    set_network(net, hat_net);
    svg = render(&status, inst, &item, 1, &opt);
    XT_CHECK_INT(status, XT_OK);
    XT_CHECK_INT(count_text(svg, "<path"), 1);
    XT_CHECK(strstr(svg, "loss (l2) = 0") != NULL);
    free(svg);

    xt_instance_read_string(inst, "xtrain-instance 1\ninputs 3\ndata 1\n"
                            "0 0 0 0\n", "d3", &err);
    svg = render(&status, inst, NULL, 0, &opt);
    XT_CHECK_INT(status, XT_ERR_INPUT);
    free(svg);

    xt_network_clear(net);
    xt_instance_clear(inst);
}

static void test_chart(void)
{
    double x[4] = {0, 1, 2, 3}, y[4] = {1, 0.1, 0, 0.01};
    xt_chart_series series = {"restart 1", 4, x, y};
    xt_chart_options opt;
    xt_error_t err;
    char *text = NULL;
    size_t len = 0;
    xt_chart_options_init(&opt);
    opt.log_y = 1;
    opt.has_reference = 1;
    opt.reference = 0;
    opt.reference_label = "exact optimum 0";
    FILE *f = open_memstream(&text, &len);
    XT_CHECK_INT(xt_draw_chart(f, &series, 1, &opt, &err), XT_OK);
    fclose(f);
    /* The point with y = 0 breaks the line on a log axis. */
    XT_CHECK_INT(count_text(text, "M"), 2);
    XT_CHECK(strstr(text, "off the log scale") != NULL);
    free(text);

    double bad[1] = {0};
    xt_chart_series none = {NULL, 1, bad, bad};
    f = open_memstream(&text, &len);
    XT_CHECK_INT(xt_draw_chart(f, &none, 1, &opt, &err), XT_ERR_INPUT);
    fclose(f);
    free(text);
}

static void test_format_value(void)
{
    mpq_t q;
    char buf[64];
    mpq_init(q);
    mpq_set_si(q, -1, 3);
    XT_CHECK_STR(xt_draw_format_value(buf, sizeof buf, q, 10), "-1/3");
    XT_CHECK_STR(xt_draw_format_value(buf, sizeof buf, q, 3),
                 "\u2248-0.333333");
    mpq_clear(q);
}

int main(void)
{
    rng = xt_test_seed();
    test_hat_pieces();
    test_xor_regions();
    test_random_regions();
    test_random_pieces();
    test_svg_output();
    test_chart();
    test_format_value();
    return xt_test_finish("test_draw");
}
