/* Helpers shared by the drawing code: the affine function of a network on
 * one cell, the colour map, axis ticks and SVG snippets. */
#ifndef XT_DRAW_INTERNAL_H
#define XT_DRAW_INTERNAL_H

#include <stdio.h>
#include <gmp.h>
#include "xtrain/draw.h"

/* Sets g (net->d values) and g0 so that output o of net equals
 * g . x + g0 on the open cell of the breakline arrangement that contains
 * the point p, which must lie on no breakline of a neuron feeding o.
 * The output's threshold, when it has one, is not applied. */
void xt_draw_affine(mpq_t *g, mpq_t g0, const xt_network_t net, int o,
                    const mpq_t *p);

/* Whether neuron j matters for output o: a nonzero output weight. */
int xt_draw_neuron_used(const xt_network_t net, int o, int j);

/* An RGB colour with components in [0, 1]. */
typedef struct {
    double r, g, b;
} xt_rgb;

/* Knots of the value colour map, at t = k / (XT_COLOUR_KNOTS - 1). */
#define XT_COLOUR_KNOTS 5

/* The diverging colour map (blue, white, red) at t in [0, 1]; t is
 * clamped. */
xt_rgb xt_colour_map(double t);

/* Writes "#rrggbb". */
void xt_svg_colour(FILE *stream, xt_rgb c);

/* The colour of the i-th network (a palette that colour-blind readers
 * can tell apart, then repeating). */
const char *xt_network_colour(int i);

/* Writes a coordinate rounded to 0.01 pixel, without "-0". */
void xt_svg_num(FILE *stream, double v);

/* Writes the start of an SVG document of the given size (with an XML
 * declaration unless inline_svg) and a white background. */
void xt_svg_begin(FILE *stream, double width, double height,
                  int inline_svg, const char *label);
void xt_svg_end(FILE *stream);

/* Writes a text element; anchor is "start", "middle" or "end". */
void xt_svg_text(FILE *stream, double x, double y, const char *anchor,
                 int size, const char *text);

/* Picks at most max tick positions on [lo, hi]: multiples of 1, 2 or 5
 * times a power of ten.  Returns the count. */
int xt_axis_ticks(double *ticks, int max, double lo, double hi);

/* Formats a tick value with up to 6 significant digits. */
void xt_format_tick(char *buf, size_t size, double v);

/* A plot area: the rectangle (left, top, width, height) in pixels that
 * shows [xlo, xhi] x [ylo, yhi] in data units. */
typedef struct {
    double left, top, width, height;
    double xlo, xhi, ylo, yhi;
} xt_plot_area;

double xt_plot_x(const xt_plot_area *a, double x);
double xt_plot_y(const xt_plot_area *a, double y);

/* Draws the frame, grid lines, ticks and axis labels of a plot area.
 * Without y_ticks the y axis gets no ticks, so a log axis can draw its
 * own. */
void xt_plot_axes(FILE *stream, const xt_plot_area *a, const char *x_label,
                  const char *y_label, int y_ticks);

#endif
