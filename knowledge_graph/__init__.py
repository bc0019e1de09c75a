"""knowledge_graph"""
