/* xtrain draw: an SVG picture of an instance and of networks on it.
 *
 *   xtrain draw INSTANCE [--network FILE [--name NAME]]... -o FILE.svg */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_draw.h"
#include "cmd_sgd.h"
#include "xtrain/draw.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"
#include "xtrain/sgd.h"

enum {
    OPT_NETWORK = XT_OPT_FIRST_COMMAND,
    OPT_NAME,
    OPT_OUTPUT,
    OPT_OUTPUT_INDEX,
    OPT_WIDTH,
    OPT_HEIGHT,
    OPT_TITLE
};

static const xt_cli_option draw_options[] = {
    XT_CLI_COMMON_OPTIONS,
    {"network", 'n', 1, OPT_NETWORK,
     "FILE    a network to draw (repeat for more)"},
    {"name", 0, 1, OPT_NAME,
     "NAME    legend name of the preceding --network"},
    {"output", 'o', 1, OPT_OUTPUT, "FILE    write the SVG here (- stdout)"},
    {"output-index", 0, 1, OPT_OUTPUT_INDEX,
     "N       which output to draw, from 1 (default 1)"},
    {"width", 0, 1, OPT_WIDTH, "PX      width of one panel (default 480)"},
    {"height", 0, 1, OPT_HEIGHT,
     "PX      height of one panel (default 360)"},
    {"title", 0, 1, OPT_TITLE, "TEXT    heading above the picture"},
    XT_CLI_SETTINGS_OPTIONS,
    {NULL, 0, 0, 0, NULL}
};

static const char draw_usage[] =
    "xtrain draw INSTANCE [--network FILE [--name NAME]]... -o FILE.svg";

static const char draw_description[] =
    "Draws INSTANCE and the networks as an SVG picture.  With 1 input: the\n"
    "data points and the graph of each network.  With 2 inputs: one panel\n"
    "per network with the points coloured by label, the network's\n"
    "breaklines dashed and its linear regions shaded by value.  The\n"
    "regions are computed exactly in rationals, and each is shaded by a\n"
    "gradient along its own affine function.  The legend gives each\n"
    "network's exact loss on INSTANCE.  Network files may be exact (text\n"
    "or JSON, such as xtrain solve -o or --json writes) or the hex-float\n"
    "files of xtrain sgd --save.  Prints each network's loss.  Exit\n"
    "status: 0 written, 2 bad input (including more than 2 inputs).";

const char *xt_cli_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

int xt_cli_load_network(xt_network_t net, const char *command,
                        const char *path)
{
    xt_error_t err, sgd_err;
    xt_error_clear(&err);
    xt_error_clear(&sgd_err);
    if (xt_network_read_file(net, path, &err) == XT_OK)
        return XT_EXIT_OK;
    if (strcmp(path, "-") != 0) {
        xt_sgd_network_t sgd;
        xt_sgd_network_init(sgd);
        int rc = xt_sgd_network_read_file(sgd, path, &sgd_err);
        if (rc == XT_OK)
            rc = xt_sgd_network_to_exact(net, sgd, &sgd_err);
        xt_sgd_network_clear(sgd);
        if (rc == XT_OK)
            return XT_EXIT_OK;
    }
    fprintf(stderr, "%s: %s\n", command, err.message);
    return XT_EXIT_USAGE;
}

int xt_cli_write_bytes(const char *command, const char *path,
                       const char *data, size_t len)
{
    FILE *f = xt_cli_open_output(command, path);
    if (!f)
        return XT_EXIT_USAGE;
    errno = 0;
    int ok = fwrite(data, 1, len, f) == len;
    if (f != stdout)
        return xt_cli_close_output(f) == 0 && ok ? XT_EXIT_OK
                                                 : XT_EXIT_USAGE;
    if (!ok || fflush(stdout) != 0) {
        fprintf(stderr, "%s: writing standard output failed%s%s\n",
                command, errno ? ": " : "", errno ? strerror(errno) : "");
        /* Reported once: xt_cli_finish need not report it again. */
        clearerr(stdout);
        return XT_EXIT_USAGE;
    }
    return XT_EXIT_OK;
}

typedef struct {
    xt_cli_settings settings;
    const char *instance_path, *output_path;
    const char *files[XT_DRAW_MAX_NETWORKS];
    const char *names[XT_DRAW_MAX_NETWORKS];
    int count;
    xt_draw_options draw;
} draw_args;

static int parse_size(const char *cmd, const char *option, const char *value,
                      int *out)
{
    long v = xt_cli_parse_count(cmd, option, value, 10000);
    if (v < 0)
        return XT_EXIT_USAGE;
    *out = (int)v;
    return -1;
}

/* Handles one option of draw's own; returns -1 to go on, else an exit
 * code. */
static int draw_option(draw_args *a, const char *cmd, int id,
                       const char *value)
{
    long index;
    switch (id) {
    case XT_OPT_HELP:
        xt_cli_print_help(draw_usage, draw_description, draw_options);
        return XT_EXIT_OK;
    case XT_OPT_VERBOSE: xt_verbosity++; break;
    case XT_OPT_QUIET: xt_verbosity = 0; break;
    case OPT_NETWORK:
        if (a->count == XT_DRAW_MAX_NETWORKS) {
            fprintf(stderr, "%s: at most %d networks fit in one picture\n",
                    cmd, XT_DRAW_MAX_NETWORKS);
            return XT_EXIT_USAGE;
        }
        a->files[a->count] = value;
        a->names[a->count++] = xt_cli_base_name(value);
        break;
    case OPT_NAME:
        if (a->count == 0) {
            fprintf(stderr, "%s: --name must follow the --network it "
                    "names\n", cmd);
            return XT_EXIT_USAGE;
        }
        a->names[a->count - 1] = value;
        break;
    case OPT_OUTPUT: a->output_path = value; break;
    case OPT_OUTPUT_INDEX:
        index = xt_cli_parse_count(cmd, "output-index", value,
                                   XT_MAX_OUTPUTS);
        if (index < 1) {
            if (index == 0)
                fprintf(stderr, "%s: --output-index counts from 1\n", cmd);
            return XT_EXIT_USAGE;
        }
        a->draw.output = (int)index - 1;
        break;
    case OPT_WIDTH: return parse_size(cmd, "width", value, &a->draw.width);
    case OPT_HEIGHT:
        return parse_size(cmd, "height", value, &a->draw.height);
    case OPT_TITLE: a->draw.title = value; break;
    case XT_OPT_POSITIONAL:
        if (a->instance_path) {
            fprintf(stderr, "%s: unexpected argument \"%s\"\n", cmd, value);
            return XT_EXIT_USAGE;
        }
        a->instance_path = value;
        break;
    }
    return -1;
}

static int parse_draw(draw_args *a, int argc, char **argv)
{
    const char *cmd = "xtrain draw";
    xt_cli_parser p;
    int id;
    xt_cli_parser_init(&p, cmd, argc, argv);
    while ((id = xt_cli_next(&p, draw_options)) != XT_OPT_END) {
        if (id == XT_OPT_ERROR)
            return XT_EXIT_USAGE;
        int handled = xt_cli_settings_option(&a->settings, cmd, id, p.value);
        if (handled < 0)
            return XT_EXIT_USAGE;
        if (handled)
            continue;
        int rc = draw_option(a, cmd, id, p.value);
        if (rc >= 0)
            return rc;
    }
    if (!a->instance_path || !a->output_path) {
        fprintf(stderr, "%s: expected INSTANCE and -o FILE.svg (see %s "
                "--help)\n", cmd, cmd);
        return XT_EXIT_USAGE;
    }
    return -1;
}

/* Prints "NAME: loss (l2) = VALUE" for each network: the exact rational
 * when it is short, else a rounded decimal (xtrain check prints it
 * exactly). */
static void print_losses(const xt_instance_t inst, const draw_args *a,
                         xt_network_t *nets)
{
    mpq_t loss;
    char decimal[64];
    mpq_init(loss);
    for (int i = 0; i < a->count; i++) {
        if (xt_network_loss(loss, NULL, nets[i], inst, inst->loss, NULL))
            continue;
        char *exact = xt_rat_to_string(loss);
        xt_cli_format_loss(decimal, sizeof decimal, loss);
        printf("%s: loss (%s) ", a->names[i], xt_loss_name(inst->loss));
        if (exact && strlen(exact) <= 40) {
            printf("= %s", exact);
            if (mpz_cmp_ui(mpq_denref(loss), 1) != 0)
                printf(" = %s", decimal);
        } else {
            printf("~ %s", decimal);
        }
        printf("\n");
        free(exact);
    }
    mpq_clear(loss);
}

/* Renders the picture into memory and writes it only when complete. */
static int render(const xt_instance_t inst, const draw_args *a,
                  xt_network_t *nets)
{
    const char *cmd = "xtrain draw";
    xt_draw_item items[XT_DRAW_MAX_NETWORKS];
    for (int i = 0; i < a->count; i++) {
        items[i].name = a->names[i];
        items[i].network = nets[i];
    }
    char *svg = NULL;
    size_t len = 0;
    FILE *memory = open_memstream(&svg, &len);
    if (!memory) {
        fprintf(stderr, "%s: out of memory\n", cmd);
        return XT_EXIT_INTERNAL;
    }
    xt_error_t err;
    xt_error_clear(&err);
    int status = xt_draw_svg(memory, inst, items, a->count, &a->draw, &err);
    fclose(memory);
    int rc = XT_EXIT_OK;
    if (status != XT_OK) {
        fprintf(stderr, "%s: %s: %s\n", cmd, a->instance_path, err.message);
        rc = status == XT_ERR_NOMEM ? XT_EXIT_INTERNAL : XT_EXIT_USAGE;
    } else {
        rc = xt_cli_write_bytes(cmd, a->output_path, svg, len);
    }
    free(svg);
    return rc;
}

int xt_cmd_draw(int argc, char **argv)
{
    draw_args a;
    memset(&a, 0, sizeof a);
    xt_cli_settings_init(&a.settings);
    xt_draw_options_init(&a.draw);
    int rc = parse_draw(&a, argc, argv);
    if (rc >= 0) {
        xt_cli_settings_clear(&a.settings);
        return rc;
    }

    xt_instance_t inst;
    xt_network_t nets[XT_DRAW_MAX_NETWORKS];
    xt_instance_init(inst);
    for (int i = 0; i < a.count; i++)
        xt_network_init(nets[i]);
    rc = xt_cli_load_instance(inst, a.instance_path, &a.settings);
    for (int i = 0; i < a.count && rc == XT_EXIT_OK; i++)
        rc = xt_cli_load_network(nets[i], "xtrain draw", a.files[i]);
    if (rc == XT_EXIT_OK)
        rc = render(inst, &a, nets);
    /* With -o - the picture itself is on stdout. */
    if (rc == XT_EXIT_OK && xt_verbosity >= 1 &&
        strcmp(a.output_path, "-") != 0) {
        print_losses(inst, &a, nets);
        printf("wrote %s\n", a.output_path);
    }
    for (int i = 0; i < a.count; i++)
        xt_network_clear(nets[i]);
    xt_instance_clear(inst);
    xt_cli_settings_clear(&a.settings);
    return rc;
}
