/* A program outside the project that uses the installed library: parses a
 * rational and evaluates a one-neuron network exactly. */
#include <stdio.h>
#include "xtrain/network.h"
#include "xtrain/rat.h"

int main(void)
{
    xt_network_t net;
    mpq_t x, y;
    xt_network_init(net);
    mpq_inits(x, y, NULL);
    if (xt_network_resize(net, 1, 1, 1, NULL) != XT_OK ||
        xt_rat_parse(x, "-0.75"))
        return 1;
    mpq_set_si(net->w[0], -2, 1);
    mpq_set_ui(net->a[0], 1, 1);
    xt_network_eval(&y, net, &x);
    xt_rat_print(stdout, y);
    printf("\n");
    mpq_clears(x, y, NULL);
    xt_network_clear(net);
    return 0;
}
