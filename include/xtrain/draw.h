/* Pictures of instances and networks, written directly as SVG.
 *
 * Geometry is exact.  A two-layer network is affine on each cell of the
 * arrangement of its neurons' breaklines w_j . x + b_j = 0, and this
 * module computes those cells (the linear regions) inside a bounding box
 * in rational arithmetic: d = 1 gives intervals, d = 2 convex polygons,
 * each with the exact affine function the network computes on it.  Only
 * the final SVG coordinates and colours are rounded to double, for
 * display.
 *
 * A d = 2 picture shades each region with an SVG linear gradient laid
 * along the gradient of the region's affine function, with colour stops
 * at the colour map's knots, so the shading equals the piecewise-linear
 * colour map of the exact value (up to the viewer's rendering) rather
 * than a sampled grid.
 *
 * Library code never prints: every writer takes the stream to write to. */
#ifndef XTRAIN_DRAW_H
#define XTRAIN_DRAW_H

#include <stdio.h>
#include <gmp.h>
#include "xtrain/error.h"
#include "xtrain/instance.h"
#include "xtrain/network.h"

/* ------------------------------------------------- exact linear pieces */

/* One interval [lo, hi] of a d = 1 network on which output o equals
 * slope * x + intercept. */
typedef struct {
    mpq_t lo, hi;
    mpq_t slope, intercept;
} xt_piece;

typedef struct {
    long count;
    long capacity;
    xt_piece *pieces;     /* sorted left to right, covering [lo, hi] */
} xt_piece_list_struct;
typedef xt_piece_list_struct xt_piece_list_t[1];

void xt_piece_list_init(xt_piece_list_t list);
void xt_piece_list_clear(xt_piece_list_t list);

/* Splits [lo, hi] (lo < hi) at the breakpoints -b_j / w_j of net (d = 1)
 * and stores, for each piece, the affine function that output o computes
 * on its interior.  A threshold network is constant on each piece (slope
 * 0), so its jumps show as steps.  Neurons with a_{o,j} = 0 do not split.
 * Returns XT_OK, XT_ERR_INPUT (d != 1, o out of range, lo >= hi) or
 * XT_ERR_NOMEM. */
int xt_draw_pieces(xt_piece_list_t out, const xt_network_t net, int o,
                   const mpq_t lo, const mpq_t hi, xt_error_t *err);

/* One linear region of a d = 2 network inside a box: a convex polygon
 * with positive area, vertices counter-clockwise, on whose interior
 * output o equals gx * x + gy * y + g0. */
typedef struct {
    int count;            /* vertices */
    mpq_t *x, *y;         /* count coordinates each */
    mpq_t gx, gy, g0;
} xt_region;

typedef struct {
    long count;
    long capacity;
    xt_region *regions;
} xt_region_list_struct;
typedef xt_region_list_struct xt_region_list_t[1];

void xt_region_list_init(xt_region_list_t list);
void xt_region_list_clear(xt_region_list_t list);

/* Pictures with more regions than this are rejected, because they would
 * be unreadable (k lines make at most 1 + k + k(k-1)/2 regions, so this
 * admits about 60 breaklines). */
#define XT_DRAW_MAX_REGIONS 2000

/* Cuts the box [xlo, xhi] x [ylo, yhi] along every breakline of net
 * (d = 2) whose neuron feeds output o, and stores each cell with the
 * affine function of output o on it.  The regions tile the box: their
 * interiors are disjoint and their areas sum to the box's.  Returns XT_OK,
 * XT_ERR_INPUT (d != 2, o out of range, an empty box), XT_ERR_LIMIT (more
 * than XT_DRAW_MAX_REGIONS regions) or XT_ERR_NOMEM. */
int xt_draw_regions(xt_region_list_t out, const xt_network_t net, int o,
                    const mpq_t xlo, const mpq_t xhi, const mpq_t ylo,
                    const mpq_t yhi, xt_error_t *err);

/* -------------------------------------------------------- pictures */

/* A network to draw and its name in the legend. */
typedef struct {
    const char *name;
    const xt_network_struct *network;
} xt_draw_item;

typedef struct {
    int width, height;     /* pixels of one plot panel (480 x 360) */
    int output;            /* 0-based output to draw (0) */
    int inline_svg;        /* 1: no XML declaration, to embed in HTML */
    const char *id_prefix; /* prefix of element ids, unique on a page */
    const char *title;     /* heading above the picture, or NULL */
} xt_draw_options;

/* Sets the defaults given above, id prefix "xt" and no title. */
void xt_draw_options_init(xt_draw_options *opt);

/* Writes an SVG picture of inst and count networks to stream.  d = 1: the
 * data points and the graph of each network's output, one colour each.
 * d = 2: one panel per network (one panel of points when count is 0)
 * with the points coloured by label, the network's breaklines dashed and
 * its linear regions shaded by value on a colour scale shared by all
 * panels.  The legend names each network with its exact loss on inst
 * (inst->loss).  Every network must have inst's inputs and outputs.
 * Returns XT_OK, XT_ERR_INPUT (d > 2, shapes that do not match, an
 * output index out of range), XT_ERR_LIMIT (too many regions) or
 * XT_ERR_NOMEM. */
int xt_draw_svg(FILE *stream, const xt_instance_t inst,
                const xt_draw_item *items, int count,
                const xt_draw_options *opt, xt_error_t *err);

/* --------------------------------------------------------- charts */

/* One curve of a chart: count points (x[i], y[i]). */
typedef struct {
    const char *name;      /* legend text, or NULL for no legend entry */
    long count;
    const double *x, *y;
} xt_chart_series;

typedef struct {
    int width, height;     /* pixels (640 x 360) */
    int log_y;             /* 1: logarithmic y axis */
    int inline_svg;
    const char *title, *x_label, *y_label;
    int has_reference;     /* draw a horizontal line at y = reference */
    double reference;
    const char *reference_label;
} xt_chart_options;

/* Sets the defaults above, a linear y axis and no labels. */
void xt_chart_options_init(xt_chart_options *opt);

/* Writes an SVG line chart of the series.  Points whose x or y is not
 * finite, or whose y is not positive on a log axis, are left out and
 * break the line there.  Returns XT_OK or XT_ERR_INPUT when no series
 * has a point to draw. */
int xt_draw_chart(FILE *stream, const xt_chart_series *series, int count,
                  const xt_chart_options *opt, xt_error_t *err);

/* --------------------------------------------------------- helpers */

/* Writes text with the five XML special characters escaped, for SVG and
 * HTML text and attribute values. */
void xt_draw_write_escaped(FILE *stream, const char *text);

/* Formats an exact value for a legend: the canonical rational when it
 * has at most max_chars characters, else "≈" and 6 significant digits.
 * Writes at most size bytes (NUL included) into buf and returns buf. */
char *xt_draw_format_value(char *buf, size_t size, const mpq_t q,
                           size_t max_chars);

#endif
