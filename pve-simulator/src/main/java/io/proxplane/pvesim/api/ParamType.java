package io.proxplane.pvesim.api;

/** The scalar JSON-schema types PVE parameters use (arrays never occur in the routes served). */
public enum ParamType { STRING, INTEGER, BOOLEAN, NUMBER }
