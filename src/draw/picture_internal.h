/* Pieces shared by the d = 1 and d = 2 pictures. */
#ifndef XT_PICTURE_INTERNAL_H
#define XT_PICTURE_INTERNAL_H

#include <stdio.h>
#include <gmp.h>
#include "xtrain/draw.h"

/* Formats "loss (l2) = 1/3 = 0.333333" for a legend, with only a decimal
 * approximation ("≈") when the exact value is long. */
void xt_draw_loss_text(char *buf, size_t size, const xt_instance_t inst,
                       const mpq_t loss);

/* Writes <title>PREFIX q</title> with q exact: a tooltip. */
void xt_draw_title_exact(FILE *stream, const char *prefix, const mpq_t q);

void xt_draw_bounds(mpq_t lo, mpq_t hi, const mpq_t *values, long count,
                    long stride);
void xt_draw_pad(mpq_t lo, mpq_t hi, const mpq_t pad);
void xt_draw_include(mpq_t lo, mpq_t hi, const mpq_t v);

/* Draws a data point at pixel (x, y) with a tooltip giving its exact
 * coordinates and label. */
void xt_draw_point(FILE *stream, double x, double y, const char *fill,
                   const char *tooltip_prefix, const mpq_t *coords,
                   int count, const mpq_t label);

/* The d = 2 picture (picture2.c); arguments as for xt_draw_svg, with
 * loss[i] the exact loss of network i. */
int xt_draw_d2(FILE *stream, const xt_instance_t inst,
               const xt_draw_item *items, const mpq_t *loss, int count,
               const xt_draw_options *opt, xt_error_t *err);

#endif
