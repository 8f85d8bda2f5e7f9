#ifndef AMANA_CSODIUM_SHIM_H
#define AMANA_CSODIUM_SHIM_H
#include <sodium.h>
#endif
