import { describe, expect, it } from "vitest";
import { ALL_RINGS, onLand } from "../src/map/outline";
import { boxOf, project, tilesFor, tileUrl, UK_BOUNDS } from "../src/map/project";
import { mergeConfig } from "../src/config";

// [lat, lon] of places that must fall on land, and of open sea that must not.
const TOWNS: [string, number, number][] = [
  ["London", 51.507, -0.128], ["Birmingham", 52.486, -1.89], ["Manchester", 53.48, -2.242], ["Leeds", 53.8, -1.549],
  ["Glasgow", 55.864, -4.252], ["Edinburgh", 55.953, -3.188], ["Cardiff", 51.481, -3.179], ["Norwich", 52.63, 1.297],
  ["Inverness", 57.477, -4.224], ["Plymouth", 50.38, -4.14], ["Carlisle", 54.892, -2.932], ["Armagh", 54.35, -6.65],
  ["Dublin", 53.34, -6.4], ["Stornoway", 58.2, -6.5], ["Kirkwall", 58.98, -2.96], ["Douglas", 54.17, -4.55],
  ["Newcastle", 54.978, -1.617], ["Bristol", 51.455, -2.587], ["Aberdeen", 57.15, -2.15], ["Swansea", 51.62, -3.95],
];
const SEA: [string, number, number][] = [
  ["Irish Sea", 53.8, -5.2], ["North Sea", 55.0, 1.0], ["English Channel", 50.3, -1.0], ["Bristol Channel", 51.3, -4.2],
  ["Atlantic", 54.0, -11.5], ["Minch", 58.0, -5.8], ["Moray Firth", 57.8, -3.5], ["The Wash", 52.9, 0.25],
];

describe("the UK outline shipped with the app", () => {
  it("has a few hundred points", () => {
    const n = ALL_RINGS.reduce((s, [, r]) => s + r.length, 0);
    expect(n).toBeGreaterThan(250);
    expect(n).toBeLessThan(1000);
  });
  it.each(TOWNS)("puts %s on land", (_name, lat, lon) => {
    expect(onLand(lon, lat)).toBe(true);
  });
  it.each(SEA)("leaves the %s at sea", (_name, lat, lon) => {
    expect(onLand(lon, lat)).toBe(false);
  });
});

describe("the map projection", () => {
  it("is Web Mercator, so configured tiles line up", () => {
    const [x, y] = project(0, 0, 0);
    expect(x).toBeCloseTo(128);
    expect(y).toBeCloseTo(128);
    const [lx] = project(-0.128, 51.507, 6);
    expect(Math.floor(lx / 256)).toBe(31);
  });
  it("covers the UK with a handful of tiles at zoom 6", () => {
    const tiles = tilesFor(boxOf(UK_BOUNDS.west, UK_BOUNDS.south, UK_BOUNDS.east, UK_BOUNDS.north, 6), 6);
    expect(tiles.length).toBeGreaterThan(4);
    expect(tiles.length).toBeLessThan(30);
    expect(tileUrl("https://t.example/{z}/{x}/{y}.png", { z: 6, x: 31, y: 20 })).toBe("https://t.example/6/31/20.png");
  });
  it("has no tile server unless a deployment configures one", () => {
    expect(mergeConfig({}).mapTileUrl).toBeNull();
    expect(mergeConfig({ mapTileUrl: "javascript:alert(1)" }).mapTileUrl).toBeNull();
    expect(mergeConfig({ mapTileUrl: "https://tiles.example/{z}/{x}/{y}.png" }).mapTileUrl).toBe("https://tiles.example/{z}/{x}/{y}.png");
  });
});
